import test from "ava";
import { cborNumberSize } from "../../modules/telemetry/cbor-number.js";
import { reportedValue, reportWindow, shortestWithin, sixDigitTolerance } from "../../modules/telemetry/report-value.js";
import { seededRandom } from "../helpers/seeded-random.js";

/** target, tolerance → the number reported, and why. */
const TABLE: [number, number, number, string][] = [
  [21.37, 0, 21.37, "no tolerance: the value itself"],
  [22.6, 0.5, 23, "an integer within reach, the smallest in magnitude (1 byte)"],
  [0.3, 0.5, 0, "0 is in reach"],
  [-30.4, 0.5, -30, "negative integers too"],
  [1000.3, 0.25, 1000.5, "no integer: the nearest float16"],
  [1000.3, 0.1, Math.fround(1000.3), "float16 too coarse: the nearest float32"],
  [30288.14, 0.46, 30288, "Pa: an integer (3 bytes) ties float16, the integer is found first"],
  [90.6454, 1e-4, 90.64540100097656, "float32 when float16 is too coarse"],
  [Math.PI, 1e-12, Math.PI, "nothing shorter within: the value"],
];

for (const [target, tolerance, expected, label] of TABLE) {
  test(`shortestWithin(${target}, ${tolerance}): ${label}`, (t) => {
    t.is(shortestWithin(target, tolerance), expected);
  });
}

test("six significant digits: the window is a twentieth of a unit in the sixth digit", (t) => {
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * b;
  t.true(close(sixDigitTolerance(90.6454), 5e-6), "a unit of the 6th digit is 1e-4");
  t.true(close(sixDigitTolerance(0.202394), 5e-8));
  t.is(sixDigitTolerance(0), 0);
  t.like(reportWindow(90.64540123, undefined), { target: 90.6454 });
  t.deepEqual(reportWindow(90.64540123, 0.01), { target: 90.64540123, tolerance: 0.01 });
  t.is(reportedValue(45, undefined), 45);
});

test("seeded: the reported value lies within the window, prints as the six digits, and is never longer than the value", (t) => {
  const random = seededRandom(0x5e5e);
  for (let i = 0; i < 20_000; i++) {
    const value = (random() - 0.5) * 10 ** Math.floor(random() * 12 - 4);
    const tolerance = i % 2 === 0 ? undefined : Math.abs(value) * random() * 1e-3;
    const reported = reportedValue(value, tolerance);
    const { target, tolerance: window } = reportWindow(value, tolerance);
    t.true(Math.abs(reported - target) <= window, `${value}, ${tolerance}: ${reported}`);
    t.true(cborNumberSize(reported) <= cborNumberSize(target), `${value}: not longer`);
    if (tolerance === undefined) t.is(reported.toPrecision(6), value.toPrecision(6), `${value}: six digits kept`);
  }
});
