import test from "ava";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSim } from "../../helpers/sim-process.js";

test("sim stall: a firmware loop blocked past 10 s of virtual time trips the simulator's watchdog; the node restarts and reports reset reason watchdog", async (t) => {
  const state = mkdtempSync(join(tmpdir(), "fieldnode-stall-"));
  const sim = startSim(["--broker", "mqtt://127.0.0.1:1", "--state", state, "--id", "stall-1"]);
  try {
    await sim.waitFor(/boot [0-9a-f]{8} \(#1\)/, 30_000);
    const before = (await sim.command("status")).join("\n");
    t.regex(before, /reset reason: power-on/);
    t.regex(before, /watchdog: armed, timeout 10 s, fed by the main loop/);
    t.deepEqual(await sim.command("sim stall 4"), ["the firmware's loop is blocked for 4 s (virtual time jumps; what fell due runs late)", "OK"]);
    t.regex((await sim.command("status")).join("\n"), /reset reason: power-on/, "4 s is within the timeout");
    t.regex((await sim.command("sim stall 0")).join("\n"), /^ERR bad-value stall: seconds must be a number above 0 and at most 3600, got "0"/);
    await sim.command("sim stall 15");
    await sim.waitFor(/watchdog: the main loop was not fed for 1[5-9][0-9]{3} ms \(timeout 10000 ms\): reset/, 15_000);
    await sim.waitFor(/boot [0-9a-f]{8} \(#2\)/, 30_000);
    t.regex((await sim.command("status")).join("\n"), /reset reason: watchdog/);
  } finally {
    sim.child.kill("SIGKILL");
  }
});
