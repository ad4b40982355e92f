import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Path of the compiled simulator entry (tests run from dist/test). */
export const SIM_MAIN = fileURLToPath(new URL("../../hosts/sim/main.js", import.meta.url));

/** A running `fieldnode-sim` subprocess with its console on pipes. */
export interface SimProcess {
  child: ChildProcessWithoutNullStreams;
  /** Everything the simulator printed on stdout so far. */
  readonly output: string;
  readonly stderr: string;
  /** Types one console line. */
  send(line: string): void;
  /** Resolves when stdout (from `from`, default: everything) matches; rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number, from?: number): Promise<RegExpMatchArray>;
  /** Sends one command and resolves with its reply lines up to and including the OK/ERR line. */
  command(line: string, timeoutMs?: number): Promise<string[]>;
  /** Resolves with the exit code (or signal name) once the process ended. */
  exited: Promise<number | string>;
}

/**
 * Starts the simulator with `args` (in directory `cwd`, default this one; `env` added to this process's);
 * stdout/stderr are collected. Without --profile or --replay it runs the
 * `climate` profile (the stock board with the SHT3x channels temp and rh)
 * that the uplink and fault tests expect, not the simulator's default pump skid
 * (`options.ownDefault`: the simulator's own default, as `npm start` runs it).
 */
export function startSim(args: string[], options: { cwd?: string; ownDefault?: boolean; env?: Record<string, string> } = {}): SimProcess {
  const machine = options.ownDefault || args.includes("--profile") || args.includes("--replay") || args.includes("--help") || args.includes("-h") ? [] : ["--profile", "climate"];
  const child = spawn(process.execPath, [SIM_MAIN, ...machine, ...args], { stdio: ["pipe", "pipe", "pipe"], cwd: options.cwd, ...(options.env ? { env: { ...process.env, ...options.env } } : {}) });
  let output = "";
  let stderr = "";
  const listeners = new Set<() => void>();
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    output += chunk;
    for (const listener of listeners) listener();
  });
  child.stderr.on("data", (chunk: string) => (stderr += chunk));
  child.stdin.on("error", () => {});
  const exited = new Promise<number | string>((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal ?? -1)));

  const waitFor = (pattern: RegExp, timeoutMs = 15_000, from = 0) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const match = output.slice(from).match(pattern);
        if (!match) return;
        cleanup();
        resolve(match);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${pattern}; output so far:\n${output.slice(-2000)}\nstderr:\n${stderr.slice(-1000)}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      listeners.add(check);
      check();
    });

  return {
    child,
    get output() {
      return output;
    },
    get stderr() {
      return stderr;
    },
    send(line) {
      child.stdin.write(`${line}\n`);
    },
    waitFor,
    async command(line, timeoutMs = 10_000) {
      const from = output.length;
      child.stdin.write(`${line}\n`);
      const match = await waitFor(/^(OK|ERR .*)\r?$/m, timeoutMs, from);
      const end = from + (match.index ?? 0) + match[0].length;
      return output
        .slice(from, end)
        .split(/\r?\n/)
        .map((l) => l.replace(/\r$/, ""))
        .filter((l) => l !== "" && !/^\[\d+\.\d+\] /.test(l));
    },
    exited,
  };
}

/** Polls the console's `status` until its mqtt line matches `pattern`; returns that line, or throws with the last one. */
export async function mqttStatus(sim: SimProcess, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let line = "";
  while (Date.now() < deadline) {
    line = (await sim.command("status")).find((l) => /^\s*mqtt\b/.test(l)) ?? "";
    if (pattern.test(line)) return line;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`status never matched ${pattern}; last: ${line}`);
}
