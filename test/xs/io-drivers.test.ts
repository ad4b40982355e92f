import test from "ava";
import { runOnXS } from "../helpers/xs.js";

test("the issue 8 drivers run on XS against their models: values, qualities, 16-bit wrap and counters across a reboot", async (t) => {
  const run = await runOnXS("test/xs/entries/io-drivers.ts");
  t.teardown(() => run.close());
  type Value = { value?: number; quality: string; reason?: string };
  type Result = {
    ads: Value & { signal: number };
    analog: Value;
    tc: { thermocouple: Value; internal: Value };
    pulses: { count: Value; rate: Value; total: Value };
    input: { state: Value; transitions: Value; hours: Value };
    open: Value;
    tcOpen: Value;
  };
  // 70 s at 1 kHz: the PCNT's 16-bit counter wraps once.
  const first = await run.command<Result>("run", 70);
  t.is(first.ads.quality, "good");
  t.true(Math.abs(first.ads.value! - 7.5) < 0.01, `${first.ads.value}`);
  t.true(Math.abs(first.analog.value! - 2.5) < 0.01, `${first.analog.value}`);
  t.deepEqual(first.tc, { thermocouple: { value: 100.75, quality: "good" }, internal: { value: 25, quality: "good" } });
  t.deepEqual(first.pulses.count, { value: 70_000, quality: "good" });
  t.deepEqual(first.pulses.total, { value: 700, quality: "good" });
  t.is(first.pulses.rate.value, 1000);
  t.deepEqual(first.input.state, { value: 1, quality: "good" });
  t.true(Math.abs(first.input.hours.value! - 70 / 3600) < 1e-3);
  t.deepEqual(first.open, { value: 0, quality: "good" }, "the ADC sees 0 V: NE 43 grading is the scaling's job");
  t.deepEqual(first.tcOpen, { quality: "bad", reason: "open_loop" });
  // A reboot on the same flash: the totaliser and the hours carry on.
  const second = await run.command<Result>("run", 10);
  // 70 s, 40 ms more until close() wrote the count, then 10 s after the reboot.
  t.deepEqual(second.pulses.count, { value: 80_040, quality: "good" });
  t.true(Math.abs(second.input.hours.value! - 80 / 3600) < 1e-3);
});

test("the new sensor types run on XS through Channels, configured as from the console", async (t) => {
  const run = await runOnXS("test/xs/entries/io-drivers.ts");
  t.teardown(() => run.close());
  const settings = [
    ["ch.press.type", "ads1115"], ["ch.press.input", "2"], ["ch.press.range_high", "10"],
    ["ch.level.type", "analog"], ["ch.level.pin", "35"],
    ["ch.tc.type", "max31855"],
    ["ch.water.type", "pulse"], ["ch.water.measure", "count"], ["ch.water.unit", "count"],
    ["ch.run.type", "digital"], ["ch.run.measure", "transitions"], ["ch.run.unit", "count"],
  ];
  type Reading = { value?: number; quality: string; reason?: string; unit: string };
  const last = await run.command<Record<string, Reading>>("channels", settings);
  t.is(last.press.quality, "good");
  t.true(Math.abs(last.press.value! - 2.5) < 0.001, `${last.press.value}`);
  t.deepEqual([last.level.quality, last.level.reason, last.level.value], ["bad", "open_loop", undefined]);
  t.deepEqual([last.tc.quality, last.tc.value, last.tc.unit], ["good", -250, "Cel"]);
  t.deepEqual([last.water.value, last.water.unit], [200, "count"]);
  t.deepEqual([last.run.value, last.run.quality], [0, "good"]);
});
