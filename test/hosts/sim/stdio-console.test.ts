import test from "ava";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SIM_MAIN, startSim } from "../../helpers/sim-process.js";

const stateDir = () => mkdtempSync(join(tmpdir(), "fieldnode-"));
/** A broker address nobody listens on: the node keeps retrying, the console works. */
const NO_BROKER = "mqtt://127.0.0.1:1";
const count = (text: string, pattern: RegExp) => text.match(new RegExp(pattern.source, "gm"))?.length ?? 0;

test("piped stdin: after reboots, each line is handled once (one stdin listener for the process)", async (t) => {
  const sim = startSim(["--broker", NO_BROKER, "--state", stateDir()]);
  t.teardown(() => void sim.child.kill("SIGKILL"));
  await sim.waitFor(/boot \S+ \(#1\)/);
  for (const boot of [2, 3]) {
    const from = sim.output.length;
    sim.send("reboot");
    await sim.waitFor(new RegExp(`boot \\S+ \\(#${boot}\\)`), 15_000, from);
    t.is(count(sim.output.slice(from), /^restarting\r?$/), 1, `one "reboot" line reboots once (boot ${boot})`);
  }
  const from = sim.output.length;
  await sim.command("version");
  // Let a second (duplicate) answer arrive if there is one.
  await sim.command("status");
  t.is(count(sim.output.slice(from), /^fieldnode \S+ \(sim\)\r?$/), 1, "version answers once after two reboots");
  t.is(count(sim.output, /\(#4\)/), 0, "no extra reboot happened");
  sim.child.kill("SIGINT");
  t.is(await sim.exited, 0);
});

const hasPython = spawnSync("python3", ["-c", "import pty"]).status === 0;
const ttyTest = hasPython ? test : (title: string) => test.skip(`${title} (SKIPPED: python3 with its pty module not installed)`, () => undefined);

/**
 * Runs the simulator with its stdin and stdout on a terminal (python's
 * pty.spawn), as a person at a shell runs it; `script` is fed to the terminal.
 */
function simOnTerminal(args: string[]) {
  const child = spawn("python3", ["-c", "import pty, sys; sys.exit(pty.spawn(sys.argv[1:]) >> 8)", process.execPath, SIM_MAIN, ...args], { stdio: ["pipe", "pipe", "pipe"] });
  let screen = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => (screen += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const until = async (pattern: RegExp, from = 0) => {
    const deadline = Date.now() + 15_000;
    while (!pattern.test(screen.slice(from))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; screen:\n${screen.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  return { child, exited, until, type: (text: string) => child.stdin.write(text), get screen() { return screen; } };
}

ttyTest("stdin on a terminal: after a reboot, typed letters echo once and Ctrl-C exits 0", async (t) => {
  const sim = simOnTerminal(["--broker", NO_BROKER, "--state", stateDir()]);
  t.teardown(() => void sim.child.kill("SIGKILL"));
  await sim.until(/boot \S+ \(#1\)/);
  sim.type("reboot\r");
  await sim.until(/boot \S+ \(#2\)/);
  const from = sim.screen.length;
  sim.type("version\r");
  await sim.until(/fieldnode \S+ \(sim\)\r*\nOK\r*\n/, from);
  const after = sim.screen.slice(from);
  // A log line may be interjected (and the prompt redrawn) before the echo: count, do not anchor.
  t.is(count(after, /version\r*$/), 1, `typed letters echo once: ${JSON.stringify(after)}`);
  t.false(after.includes("vv"), "no doubled echo");
  t.is(count(after, /^OK\r*$/), 1, `one reply: ${JSON.stringify(after)}`);
  sim.type("\x03");
  t.is(await sim.exited, 0, "Ctrl-C stops the node cleanly, once");
});
