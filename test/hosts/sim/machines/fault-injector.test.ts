import test from "ava";
import type { PlacedChip } from "../../../../hosts/sim/machines/chip-bindings.js";
import { FaultInjector } from "../../../../hosts/sim/machines/fault-injector.js";
import { Plant } from "../../../../hosts/sim/machines/plant.js";
import { validateProfile } from "../../../../hosts/sim/machines/profile.js";
import { FakeTimers } from "../../../helpers/fake-timers.js";

function rig() {
  const time = new FakeTimers();
  const profile = validateProfile({
    name: "t", chips: [{ id: "p0", type: "probe", address: 16 }],
    channels: [{ name: "level", chip: "p0", min: 0, max: 100, signal: { kind: "ramp", from: 0, to: 100, duration_s: 100 } }],
    faults: [{ at_s: 10, target: "level", fault: "stuck", for_s: 20 }, { at_s: 50, target: "p0", fault: "nack" }],
  }, "t.json");
  const plant = new Plant(profile, { now: () => time.monotonic(), actuator: () => 0 });
  const silenced: string[] = [];
  const chips: PlacedChip[] = [{ spec: profile.chips[0], channels: ["level"], fault: (k) => silenced.push(`on:${k}`), clear: () => silenced.push("off") }];
  const clock = { now: () => time.monotonic(), once: (fn: () => void, ms: number) => time.once(fn, ms), clear: (h: unknown) => time.clear(h as never) };
  const faults = new FaultInjector(plant, chips, clock);
  const lines: string[] = [];
  faults.onChange = (line) => lines.push(`t=${time.monotonic()} ${line}`);
  return { time, plant, faults, silenced, lines, profile };
}

test("a profile's schedule starts each fault at its time and ends a timed one by itself", (t) => {
  const { time, plant, faults, silenced, lines, profile } = rig();
  faults.schedule(profile.faults);
  time.advance(10_000);
  t.is(plant.value("level"), 10);
  time.advance(15_000);
  t.is(plant.value("level"), 10, "stuck since 10 s");
  t.deepEqual(faults.list(), ["stuck on level (5 s left)"]);
  time.advance(5_000);
  t.is(plant.value("level"), 30, "free again at 30 s");
  time.advance(20_000);
  t.deepEqual(silenced, ["on:nack"]);
  t.deepEqual(lines, ["t=10000 fault stuck on level for 20 s", "t=30000 fault stuck on level ended (time over)", "t=50000 fault nack on p0"]);
  t.is(faults.clear(), 1);
  t.deepEqual(silenced, ["on:nack", "off"]);
});

test("the same fault again replaces the first; bad targets, kinds and times are RangeErrors naming them", (t) => {
  const { time, faults } = rig();
  faults.inject("level", "drift", 10);
  faults.inject("level", "drift", 100);
  time.advance(50_000);
  t.deepEqual(faults.list(), ["drift on level (50 s left)"]);
  t.throws(() => faults.inject("attic", "stuck"), { instanceOf: RangeError, message: 'no chip or channel "attic"; targets: p0, level' });
  t.throws(() => faults.inject("level", "melt"), { instanceOf: RangeError, message: 'fault must be one of nack, stuck, open, noise, spike, drift, got "melt"' });
  t.throws(() => faults.inject("level", "stuck", 0), { instanceOf: RangeError, message: "for: seconds must be more than 0, got 0" });
});
