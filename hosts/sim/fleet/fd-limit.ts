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
 * they can: each node holds one socket to the broker, plus FD_RESERVE for the
 * process. The message names the numbers and how to raise the limit or split
 * the fleet (README "Fleet").
 */
export function fleetSizeProblem(nodes: number, limit: { soft: number; hard: number } | undefined): string | undefined {
  if (limit === undefined) return undefined;
  const needed = nodes + FD_RESERVE;
  if (needed <= limit.soft) return undefined;
  const raise = needed <= limit.hard ? `raise it with "ulimit -n ${needed}"` : `the hard limit is ${limit.hard}`;
  return `--nodes ${nodes} needs ${needed} open files (one socket per node and ${FD_RESERVE} for the process); this process may open ${limit.soft} (${raise}), or split the fleet over several processes with --first (README "Fleet")`;
}
