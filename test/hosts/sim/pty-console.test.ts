import test from "ava";
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StringDecoder } from "node:string_decoder";
import { startSim } from "../../helpers/sim-process.js";
import { openTerminal } from "../../helpers/terminal.js";

const hasPython = spawnSync("python3", ["-c", "import pty"]).status === 0;
// Serial: one terminal at a time (see test/helpers/terminal.ts for the descriptor race the reader avoids).
const ptyTest = hasPython ? test.serial : (title: string) => test.skip(`${title} (SKIPPED: python3 with its pty module not installed)`, () => undefined);

ptyTest("--console pty: a terminal attached to the printed path drives the console as over a UART", async (t) => {
  const sim = startSim(["--console", "pty", "--broker", "mqtt://127.0.0.1:1", "--id", "pty-1", "--state", mkdtempSync(join(tmpdir(), "fieldnode-"))]);
  t.teardown(() => void sim.child.kill("SIGKILL"));
  const [, path] = await sim.waitFor(/console on (\/dev\/\S+): attach with/);

  // Attach as screen or picocom would: open the terminal device and read what it shows.
  const decoder = new StringDecoder("utf8");
  let screen = "";
  const terminal = openTerminal(path, (chunk) => (screen += decoder.write(chunk)));
  const until = async (pattern: RegExp) => {
    const deadline = Date.now() + 10_000;
    while (!pattern.test(screen)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; screen:\n${screen}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  try {
    terminal.write("verx\x7fsion\r");
    await until(/fieldnode \S+ \(sim\)\r\nOK\r\n/);
    t.regex(screen, /verx[\b] [\b]sion\r\n/, "typed characters and the backspace are echoed by the node");

    terminal.write("set mqtt.password hunter2\r");
    await until(/\[unsaved\]/);
    t.false(screen.includes("hunter2"), "a secret typed at the terminal is never shown");
    t.regex(screen, /set mqtt\.password \*{7}/);

    terminal.write("bogus\r");
    await until(/ERR unknown-command /);
    await until(/WARN mqtt: tcp: /);
    t.pass("log lines reach the terminal too, as on a board's UART");
  } finally {
    await terminal.close();
    sim.child.kill("SIGINT");
    t.is(await sim.exited, 0);
  }
});

ptyTest("--console pty: after a reboot each typed line is handled once", async (t) => {
  const sim = startSim(["--console", "pty", "--broker", "mqtt://127.0.0.1:1", "--id", "pty-2", "--state", mkdtempSync(join(tmpdir(), "fieldnode-"))]);
  t.teardown(() => void sim.child.kill("SIGKILL"));
  const [, path] = await sim.waitFor(/console on (\/dev\/\S+): attach with/);
  const decoder = new StringDecoder("utf8");
  let screen = "";
  const terminal = openTerminal(path, (chunk) => (screen += decoder.write(chunk)));
  const until = async (pattern: RegExp, from: number) => {
    const deadline = Date.now() + 10_000;
    while (!pattern.test(screen.slice(from))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; screen:\n${screen}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  try {
    await sim.waitFor(/\(#1\)/);
    terminal.write("reboot\r");
    await sim.waitFor(/\(#2\)/);
    const from = screen.length;
    terminal.write("version\r");
    await until(/\(sim\)\r\nOK\r\n/, from);
    terminal.write("bogus\r");
    await until(/ERR unknown-command /, from);
    const after = screen.slice(from);
    t.is(after.match(/\(sim\)\r\nOK/g)?.length, 1, `one reply: ${JSON.stringify(after)}`);
    t.is(after.match(/ERR unknown-command/g)?.length, 1);
    t.regex(after, /version\r\n/, "typed letters echo once");
  } finally {
    await terminal.close();
    sim.child.kill("SIGINT");
    t.is(await sim.exited, 0);
  }
});
