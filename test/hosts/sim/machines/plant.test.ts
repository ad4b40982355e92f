import test from "ava";
import { Plant } from "../../../../hosts/sim/machines/plant.js";
import { validateProfile } from "../../../../hosts/sim/machines/profile.js";
import { buildSignal, mulberry32, type SignalSpec } from "../../../../hosts/sim/machines/signals.js";

function rig(channels: unknown[], actuators: unknown[] = [{ name: "pump", type: "relay", pin: 25 }]) {
  const profile = validateProfile({
    name: "t", chips: channels.map((_, i) => ({ id: `p${i}`, type: "probe", address: 16 + i })),
    actuators, channels: channels.map((c, i) => ({ chip: `p${i}`, ...(c as object) })),
  }, "t.json");
  let now = 0;
  let pump = 0;
  const plant = new Plant(profile, { now: () => now, actuator: () => pump });
  return { plant, at: (ms: number) => (now = ms), pump: (v: number) => (pump = v) };
}

test("a first-order lag: after one time constant 63.2 % of the step, after five 99.3 %", (t) => {
  const { plant, at, pump } = rig([{ name: "flow", signal: { kind: "constant", value: 0 }, couplings: [{ actuator: "pump", on: 100, tau_s: 10 }] }]);
  t.is(plant.value("flow"), 0);
  pump(1);
  for (let ms = 0; ms <= 10_000; ms += 100) at(ms), plant.value("flow");
  t.true(Math.abs(plant.value("flow") - 100 * (1 - Math.exp(-1))) < 1e-9);
  for (let ms = 10_000; ms <= 50_000; ms += 1000) at(ms), plant.value("flow");
  t.true(Math.abs(plant.value("flow") - 100 * (1 - Math.exp(-5))) < 1e-9);
});

test("scale couplings multiply the signal; a stopped pump takes the flow to zero", (t) => {
  const { plant, at, pump } = rig([{ name: "flow", signal: { kind: "constant", value: 120 }, couplings: [{ actuator: "pump", mode: "scale", on: 1, off: 0, tau_s: 0 }] }]);
  pump(1);
  at(1);
  t.is(plant.value("flow"), 120);
  pump(0);
  at(2);
  t.is(plant.value("flow"), 0);
});

test("an integrator: the level follows inflow minus the pump, and stays within its limits (no wind-up)", (t) => {
  const { plant, at, pump } = rig([
    { name: "inflow", signal: { kind: "constant", value: 2 } },
    { name: "level", signal: { kind: "constant", value: 50 }, min: 0, max: 100, couplings: [{ channel: "inflow", rate: 0.5 }, { actuator: "pump", rate: -3 }] },
  ]);
  at(10_000);
  t.is(plant.value("level"), 60, "+1 %/s for 10 s");
  at(100_000);
  t.is(plant.value("level"), 100, "full");
  pump(1);
  at(110_000);
  t.is(plant.value("level"), 80, "-2 %/s from full, not from 'over-full'");
  at(200_000);
  t.is(plant.value("level"), 0);
});

test("value faults: stuck holds, drift grows with time, clear ends them", (t) => {
  const { plant, at } = rig([{ name: "p", signal: { kind: "ramp", from: 0, to: 100, duration_s: 100 }, min: 0, max: 100 }]);
  at(10_000);
  t.is(plant.value("p"), 10);
  plant.fault("p", "stuck");
  at(50_000);
  t.is(plant.value("p"), 10);
  plant.clear("p");
  plant.fault("p", "drift");
  at(110_000);
  t.is(plant.value("p"), 100 + 0.01 * 100 * 1, "1 % of the span per minute");
  plant.clear();
  t.is(plant.value("p"), 100);
  t.false(plant.fault("nope", "stuck"));
});

// [signal, times (s), expected values]
const SIGNALS: [SignalSpec, number[], number[]][] = [
  [{ kind: "constant", value: 3 }, [0, 99], [3, 3]],
  [{ kind: "sine", offset: 1, amplitude: 2, period_s: 4, phase_s: 0 }, [0, 1, 2, 3], [1, 3, 1, -1]],
  [{ kind: "step", before: 1, after: 5, at_s: 10 }, [9.999, 10], [1, 5]],
  [{ kind: "ramp", from: 10, to: 20, start_s: 5, duration_s: 10 }, [0, 5, 10, 15, 99], [10, 10, 15, 20, 20]],
  [{ kind: "constant", value: 1, add: [{ kind: "step", before: 0, after: 2, at_s: 1 }] }, [0, 1], [1, 3]],
];

test("signals: each kind as documented (table)", (t) => {
  for (const [spec, times, values] of SIGNALS) {
    const signal = buildSignal(spec, mulberry32(1));
    t.deepEqual(times.map((s) => Number(signal(s * 1000).toFixed(9))), values, spec.kind);
  }
});

test("seeded signals repeat exactly; a random walk does not depend on when it is read", (t) => {
  const spec: SignalSpec = { kind: "random_walk", start: 5, step: 1, every_s: 1, min: 0, max: 10 };
  const a = buildSignal(spec, mulberry32(9));
  const b = buildSignal(spec, mulberry32(9));
  const dense = [] as number[];
  for (let s = 0; s <= 100; s++) dense.push(a(s * 1000));
  t.is(b(100_000), dense[100], "read once at 100 s = read every second up to 100 s");
  t.true(dense.every((v) => v >= 0 && v <= 10));
  const noise = buildSignal({ kind: "noise", mean: 0, sd: 1 }, mulberry32(4));
  const again = buildSignal({ kind: "noise", mean: 0, sd: 1 }, mulberry32(4));
  const draws = Array.from({ length: 2000 }, (_, i) => noise(i));
  t.deepEqual(Array.from({ length: 2000 }, (_, i) => again(i)), draws);
  const mean = draws.reduce((s, v) => s + v, 0) / draws.length;
  t.true(Math.abs(mean) < 0.1, `mean ${mean}`);
  const spikes = buildSignal({ kind: "spikes", base: 0, height: 1, every_s: 10, width_s: 1 }, mulberry32(5));
  const count = Array.from({ length: 10_000 }, (_, s) => spikes(s * 1000)).filter((v) => v === 1).length;
  t.true(count > 800 && count < 1200, `about one slot in ten is a spike: ${count}`);
});
