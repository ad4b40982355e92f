import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The compiled monitor entry (tests run from dist/test). */
export const MONITOR_MAIN = fileURLToPath(new URL("../../tools/monitor/main.js", import.meta.url));

/**
 * Starts `fieldnode-monitor` as a subprocess with `args` and extra `env`;
 * `lines` are its stdout lines as they come, `until` polls a predicate
 * (rejecting with what the monitor printed after `timeoutMs`).
 */
export function startMonitor(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [MONITOR_MAIN, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  const lines: string[] = [];
  let stdout = "", stderr = "";
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    stdout += chunk;
    let nl;
    while ((nl = stdout.indexOf("\n")) >= 0) {
      lines.push(stdout.slice(0, nl));
      stdout = stdout.slice(nl + 1);
    }
  });
  child.stderr.on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | string>((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal ?? -1)));
  const until = async (predicate: () => boolean, what: string, timeoutMs = 40_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; monitor said:\n${lines.join("\n").slice(-3000)}\nstderr:\n${stderr.slice(-1000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { child, lines, get stderr() { return stderr; }, exited, until };
}

