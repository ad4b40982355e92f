import { readFileSync } from "node:fs";

/** Descriptors a fleet process keeps besides its nodes' sockets: stdio, the event loop, state files, the broker, a dashboard. */
export const FD_RESERVE = 64;

/**
 * The soft and hard limit on open files of this process, from
 * /proc/self/limits ("Max open files"); undefined where that file is absent
 * (not Linux) or unreadable. "unlimited" reads as Infinity.
 */
export function openFileLimit(limitsText?: string): { soft: number; hard: number } | undefined {
  let text = limitsText;
  if (text === undefined) {
    try {
      text = readFileSync("/proc/self/limits", "utf8");
    } catch {
      return undefined;
    }
  }
  const line = text.split("\n").find((l) => l.startsWith("Max open files"));
  if (!line) return undefined;
  const [soft, hard] = line.slice("Max open files".length).trim().split(/\s+/).map((v) => (v === "unlimited" ? Infinity : Number(v)));
  if (!(soft >= 0) || !(hard >= 0)) return undefined;
  return { soft, hard };
}

/**
 * Why `nodes` nodes cannot run in one process with `limit`, or undefined when
 * they can: each node holds one socket to the broker (two with the embedded
 * broker, whose end of each connection is in this process too), plus
 * FD_RESERVE for the process. The message names the numbers and how to raise
 * the limit or split the fleet (README "Fleet").
 */
export function fleetSizeProblem(nodes: number, limit: { soft: number; hard: number } | undefined, embeddedBroker = false): string | undefined {
  if (limit === undefined) return undefined;
  const perNode = embeddedBroker ? 2 : 1;
  const needed = nodes * perNode + FD_RESERVE;
  if (needed <= limit.soft) return undefined;
  // Node raises its soft limit to the hard one at start, so it is mostly the hard limit that binds.
  const raise = needed <= limit.hard ? `raise it with "ulimit -n ${needed}"` : `the hard limit is ${limit.hard}; as root "ulimit -n ${needed}" raises it`;
  const sockets = embeddedBroker ? "two sockets per node with the embedded broker" : "one socket per node";
  return `--nodes ${nodes} needs ${needed} open files (${sockets} and ${FD_RESERVE} for the process); this process may open ${limit.soft} (${raise}), or split the fleet over several processes with --first (README "Fleet")`;
}
