import test from "ava";
import { startNode, type NodeHandle } from "../../../modules/node.js";
import { SIM_WATCHDOG_MS, simWatchdog } from "../../../hosts/sim/sim-watchdog.js";
import { FakeTimers } from "../../helpers/fake-timers.js";
import { MemoryStorage, memoryPlatform, type CapturePort } from "../../helpers/memory-platform.js";

/**
 * The simulator's boot loop in virtual time: one flash, and per boot a fresh
 * platform whose watchdog (simWatchdog) asks for a reset with its reason, as
 * hosts/sim/main.ts wires it; the next boot reports that reason.
 */
function machine() {
  const storage = new MemoryStorage();
  const said: string[] = [];
  const resets: string[] = [];
  let reason = "power-on";
  const boot = () => {
    const rig = memoryPlatform({ storage });
    const time = rig.platform.clock as FakeTimers;
    const thisBoot = reason;
    const platform = {
      ...rig.platform,
      system: { ...rig.platform.system, resetReason: () => thisBoot },
      watchdog: simWatchdog(time, time, (line) => said.push(line), (r) => resets.push(r)),
    };
    const node: NodeHandle = startNode(platform, {});
    const status = () => {
      rig.port.type("status\r");
      return (rig.port as CapturePort).take();
    };
    return { node, time, status };
  };
  return { said, resets, boot, setReason: (r: string) => (reason = r) };
}

test("the firmware's main loop feeds the simulator's watchdog: an hour of virtual time, no reset; status shows it armed", async (t) => {
  const m = machine();
  const { node, time, status } = m.boot();
  time.advance(3_600_000);
  t.deepEqual(m.resets, []);
  t.regex(status(), /watchdog: armed, timeout 10 s, fed by the main loop \(3600 feeds\)/);
  await node.stop();
  time.advance(60_000);
  t.deepEqual(m.resets, [], "a stopped node disarmed it");
});

test("a loop blocked beyond the timeout (virtual time stalls 15 s) resets the node, and the next boot reports reset reason watchdog", async (t) => {
  const m = machine();
  const first = m.boot();
  first.time.advance(30_000);
  first.time.stall(8_000);
  first.time.advance(5_000);
  t.deepEqual(m.resets, [], "8 s blocked is within the 10 s timeout");
  first.time.stall(15_000);
  first.time.advance(1);
  t.deepEqual(m.resets, ["watchdog"]);
  t.true(m.said.length === 1 && /^watchdog: the main loop was not fed for 1[56][0-9]{3} ms \(timeout 10000 ms\): reset$/.test(m.said[0]), m.said.join("\n"));
  // What the simulator does on that reset: stop the firmware, boot it again with the watchdog's reason.
  await first.node.stop();
  m.setReason(m.resets[0]);
  const second = m.boot();
  second.time.advance(2_000);
  const report = second.status();
  t.regex(report, /reset reason: watchdog/);
  t.regex(report, /watchdog: armed/);
  t.is(SIM_WATCHDOG_MS, 10_000);
  await second.node.stop();
});
