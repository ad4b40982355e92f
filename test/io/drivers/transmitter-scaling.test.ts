import test from "ava";
import { checkScaling, scaleTransmitter, SCALING_DEFAULTS } from "../../../modules/io/drivers/transmitter-scaling.js";

/** 0..10 bar on a 250 ohm shunt: volts = mA * 0.25. */
const bar = checkScaling({ signal: "4-20mA", rangeLow: 0, rangeHigh: 10, shunt: 250 });

// NAMUR NE 43 table: loop current (mA) -> quality, reason, value (bar; absent when bad).
const NE43_TABLE: [number, string, string | undefined, number | undefined][] = [
  [0, "bad", "open_loop", undefined],
  [3.59, "bad", "open_loop", undefined],
  [3.6, "uncertain", "under_range", -0.25],
  [3.79, "uncertain", "under_range", -0.13125],
  [3.8, "good", undefined, -0.125],
  [4, "good", undefined, 0],
  [12, "good", undefined, 5],
  [20, "good", undefined, 10],
  [20.5, "good", undefined, 10.3125],
  [20.51, "uncertain", "over_range", 10.31875],
  [21, "uncertain", "over_range", 10.625],
  [21.01, "bad", "short", undefined],
  [24, "bad", "short", undefined],
];

for (const [mA, quality, reason, value] of NE43_TABLE) {
  test(`NE 43: ${mA} mA is ${quality}${reason ? ` (${reason})` : ""}`, (t) => {
    const scaled = scaleTransmitter((mA * 250) / 1000, bar);
    t.is(scaled.quality as string, quality);
    t.is(scaled.reason as string | undefined, reason);
    if (value === undefined) t.false("value" in scaled, "a bad value carries no number");
    else t.true(Math.abs(scaled.value! - value) < 1e-9, `${scaled.value} vs ${value}`);
    t.true(Math.abs(scaled.signal - mA) < 1e-9);
  });
}

test("a 165 ohm shunt and an inverted range scale by the same rule", (t) => {
  const scaling = checkScaling({ shunt: 165, rangeLow: 100, rangeHigh: -50 });
  const at = (mA: number) => scaleTransmitter((mA * 165) / 1000, scaling).value!;
  t.true(Math.abs(at(4) - 100) < 1e-9);
  t.true(Math.abs(at(20) + 50) < 1e-9);
  t.true(Math.abs(at(8) - 62.5) < 1e-9);
});

test("0-10 V: linear, above 10.5 V uncertain over_range, the divider applies", (t) => {
  const scaling = checkScaling({ signal: "0-10V", rangeLow: 0, rangeHigh: 50, divider: 4 });
  t.deepEqual(scaleTransmitter(1.25, scaling), { signal: 5, value: 25, quality: "good" });
  t.deepEqual(scaleTransmitter(0, scaling), { signal: 0, value: 0, quality: "good" });
  const over = scaleTransmitter(2.7, scaling);
  t.is(over.quality, "uncertain");
  t.is(over.reason, "over_range");
});

test("checkScaling names the field and the value, and fills defaults", (t) => {
  t.deepEqual(checkScaling({}), { ...SCALING_DEFAULTS });
  t.throws(() => checkScaling({ signal: "4-20" as never }), { instanceOf: RangeError, message: "signal must be 4-20mA or 0-10V, got 4-20" });
  t.throws(() => checkScaling({ rangeLow: 5, rangeHigh: 5 }), { instanceOf: RangeError, message: "rangeLow and rangeHigh must differ, got 5 and 5" });
  t.throws(() => checkScaling({ shunt: 0 }), { instanceOf: RangeError, message: "shunt must be 1..10000 ohm, got 0" });
  t.throws(() => checkScaling({ rangeHigh: Number.NaN }), { instanceOf: TypeError, message: "rangeHigh must be a finite number, got NaN" });
  t.throws(() => checkScaling({ divider: 0.5 }), { instanceOf: RangeError, message: "divider must be 1..100, got 0.5" });
});
