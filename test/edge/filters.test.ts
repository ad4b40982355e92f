import test from "ava";
import { Calibrate } from "../../modules/edge/calibrate.js";
import { Clamp } from "../../modules/edge/clamp.js";
import { Deadband } from "../../modules/edge/deadband.js";
import { Ema } from "../../modules/edge/ema.js";
import type { Filter } from "../../modules/edge/filter.js";
import { Mean } from "../../modules/edge/mean.js";
import { Median } from "../../modules/edge/median.js";
import { Rate } from "../../modules/edge/rate.js";
import { RateLimit } from "../../modules/edge/rate-limit.js";
import { Throttle } from "../../modules/edge/throttle.js";
import { runFilter, type In, type Out } from "./run-filter.js";

/** Hand-computed cases: the filter, its inputs [value, ms, quality], whether to flush, the outputs. */
const CASES: { label: string; make: () => Filter; inputs: In[]; flush?: boolean; out: Out[] }[] = [
  {
    label: "median(3): medians of the last 3, fewer at the start; a bad reading passes and empties the window",
    make: () => new Median(3),
    inputs: [[1, 0], [5, 1000], [2, 2000], [8, 3000], [0, 4000, "bad"], [4, 5000], [6, 6000]],
    out: [[1, 0], [3, 1000], [2, 2000], [5, 3000], [0, 4000, "bad"], [4, 5000], [5, 6000]],
  },
  {
    label: "median(2): a NaN passes unchanged, never enters the window",
    make: () => new Median(2),
    inputs: [[1, 0], [Number.NaN, 1000], [3, 2000]],
    out: [[1, 0], [Number.NaN, 1000], [3, 2000]],
  },
  {
    label: "mean(2): mean of the last 2; an uncertain reading passes and restarts",
    make: () => new Mean(2),
    inputs: [[1, 0], [3, 1000], [5, 2000], [100, 3000, "uncertain"], [7, 4000]],
    out: [[1, 0], [2, 1000], [4, 2000], [100, 3000, "uncertain"], [7, 4000]],
  },
  {
    label: "ema(0.5): 10, 15, 17.5; a bad reading restarts at the next good one",
    make: () => new Ema(0.5),
    inputs: [[10, 0], [20, 1000], [20, 2000], [0, 3000, "bad"], [4, 4000], [8, 5000]],
    out: [[10, 0], [15, 1000], [17.5, 2000], [0, 3000, "bad"], [4, 4000], [6, 5000]],
  },
  {
    label: "calibrate(2, -1): good and uncertain calibrated, bad and NaN unchanged",
    make: () => new Calibrate(2, -1),
    inputs: [[1, 0], [3, 1000], [2, 2000, "uncertain"], [7, 3000, "bad"], [Number.NaN, 4000]],
    out: [[1, 0], [5, 1000], [3, 2000, "uncertain"], [7, 3000, "bad"], [Number.NaN, 4000]],
  },
  {
    label: "calibrate2(4, 0, 20, 100): a 4-20 mA loop to 0-100 %",
    make: () => Calibrate.fromTwoPoints(4, 0, 20, 100),
    inputs: [[4, 0], [12, 1000], [20, 2000]],
    out: [[0, 0], [50, 1000], [100, 2000]],
  },
  {
    label: "clamp(0, 10)",
    make: () => new Clamp(0, 10),
    inputs: [[-5, 0], [5, 1000], [15, 2000], [99, 3000, "bad"]],
    out: [[0, 0], [5, 1000], [10, 2000], [99, 3000, "bad"]],
  },
  {
    label: "deadband(1): passes a change of at least 1 from the last passed value",
    make: () => new Deadband(1),
    inputs: [[10, 0], [10.5, 1000], [11, 2000], [11.2, 3000], [9.9, 4000]],
    out: [[10, 0], [11, 2000], [9.9, 4000]],
  },
  {
    label: "deadband(10%): relative to the last passed value; the held one comes out at flush",
    make: () => new Deadband(10, true),
    inputs: [[100, 0], [105, 1000], [111, 2000], [120, 3000]],
    flush: true,
    out: [[100, 0], [111, 2000], [120, 3000]],
  },
  {
    label: "deadband(5): a bad reading passes, and the next good one passes too",
    make: () => new Deadband(5),
    inputs: [[10, 0], [0, 1000, "bad"], [11, 2000], [12, 3000]],
    out: [[10, 0], [0, 1000, "bad"], [11, 2000]],
  },
  {
    label: "rate_limit(2): at most 2 per second toward the input",
    make: () => new RateLimit(2),
    inputs: [[0, 0], [10, 1000], [10, 2000], [0, 2500], [3.5, 3000]],
    out: [[0, 0], [2, 1000], [4, 2000], [3, 2500], [3.5, 3000]],
  },
  {
    label: "rate: per second, nothing for the first reading nor after a bad one",
    make: () => new Rate(),
    inputs: [[0, 0], [5, 1000], [1, 3000], [9, 4000, "bad"], [2, 5000], [4, 5500]],
    out: [[5, 1000], [-2, 3000], [9, 4000, "bad"], [4, 5500]],
  },
  {
    label: "throttle(10): one per 10 s; a quality change passes; the held one at flush",
    make: () => new Throttle(10),
    inputs: [[1, 0], [2, 5000], [3, 10000], [4, 12000, "bad"], [5, 13000], [6, 15000]],
    flush: true,
    out: [[1, 0], [3, 10000], [4, 12000, "bad"], [5, 13000], [6, 15000]],
  },
];

for (const c of CASES) test(c.label, (t) => t.deepEqual(runFilter(c.make(), c.inputs, c.flush), c.out));

test("constructors refuse out-of-range arguments with RangeError naming the filter and value", (t) => {
  const bad: [() => unknown, string][] = [
    [() => new Median(0), "median: n must be an integer from 1 to 64, got 0"],
    [() => new Mean(65), "mean: n must be an integer from 1 to 64, got 65"],
    [() => new Ema(0), "ema: alpha must be above 0 and at most 1, got 0"],
    [() => new Calibrate(0, 1), "calibrate: gain must be a finite number other than 0, got 0"],
    [() => Calibrate.fromTwoPoints(1, 0, 1, 5), "calibrate2: raw1 and raw2 must differ, got 1 twice"],
    [() => new Clamp(5, 5), "clamp: lo must be below hi, got 5, 5"],
    [() => new Deadband(-1), "deadband: the band must be a finite number from 0, got -1"],
    [() => new RateLimit(Number.POSITIVE_INFINITY), "rate_limit: per_s must be a finite number above 0, got Infinity"],
    [() => new Throttle(Number.NaN), "throttle: s must be a finite number above 0, got NaN"],
  ];
  for (const [make, message] of bad) t.throws(make, { instanceOf: RangeError, message });
});
