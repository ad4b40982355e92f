import test from "ava";
import { seriesError } from "./series-check.js";

test("points at non-sample times: samples are measured against the line between the points around them", (t) => {
  // Points at 0.5 s and 2.5 s: the line y = t + 0.5 (t in s); samples at 1 s and 2 s lie on it, the one at 1.5 s is 0.25 off.
  const points = [{ at: 500, value: 1 }, { at: 2500, value: 3 }];
  const error = seriesError([{ at: 1000, value: 1.5 }, { at: 1500, value: 2.25 }, { at: 2000, value: 2.5 }], points);
  t.is(error.max, 0.25);
  t.is(error.uncovered, 0);
  t.is(error.rms, Math.sqrt(0.25 ** 2 / 3));
});

test("a joint between samples may lie far outside the bands; only the samples count", (t) => {
  // Up to a spike of 15 at 1.5 s (five times e = 1 above the samples) and down again: the samples at 1 s and 2 s (10) lie on the lines.
  const points = [{ at: 0, value: 0 }, { at: 1500, value: 15 }, { at: 3000, value: 0 }];
  t.is(seriesError([{ at: 0, value: 0 }, { at: 1000, value: 10 }, { at: 2000, value: 10 }, { at: 3000, value: 0 }], points).max, 0);
});

test("a sample before the first or after the last point is uncovered (error Infinity)", (t) => {
  const points = [{ at: 1000, value: 0 }, { at: 2000, value: 0 }];
  const error = seriesError([{ at: 500, value: 0 }, { at: 1500, value: 0 }, { at: 2500, value: 0 }], points);
  t.is(error.uncovered, 2);
  t.is(error.max, Number.POSITIVE_INFINITY);
});
