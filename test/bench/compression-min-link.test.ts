import test from "ava";
import { Compress } from "../../modules/edge/compress.js";
import type { Sample } from "../../modules/edge/filter.js";
import { seededRandom } from "../helpers/seeded-random.js";
import { seriesError, type Point } from "../helpers/series-check.js";
import { floorSegments, swingPoints } from "./compression-baselines.js";
import { minLinkPoints } from "./compression-min-link.js";
import { optimumPoints } from "./compression-optimum.js";

const series = (values: number[]): Point[] => values.map((value, i) => ({ value, at: i * 1000 }));

test("hand-computed: a line is 2 points, a V with its apex between samples 3 (the DP with knots at samples needs 4)", (t) => {
  t.is(minLinkPoints(series([0, 2, 4, 6, 8]), 0.1).points, 2);
  // y = t up to t = 3, y = 7 − t from t = 4: the lines meet at t = 3.5, y = 3.5, between two samples.
  const v = series([0, 1, 2, 3, 3, 2, 1, 0]);
  t.is(minLinkPoints(v, 0.1).points, 3);
  t.is(optimumPoints(v, 0.1), 4);
  t.true(seriesError(v, [{ at: 0, value: 0 }, { at: 3500, value: 3.5 }, { at: 7000, value: 0 }]).max <= 1e-12);
});

test("hand-computed: two flat levels 10 apart at e = 1 need 4 points (floor 3): (0, 0), (2 s, 0), (3 s, 10), (5 s, 10)", (t) => {
  const steps = series([0, 0, 0, 10, 10, 10]);
  t.is(floorSegments(steps, 1).points, 3);
  t.is(minLinkPoints(steps, 1).points, 4);
});

test("hand-computed: alternating 0, 2 at e = 0.5: no line covers three samples, no two rising pairs meet, so every sample is a point", (t) => {
  const zigzag = series([0, 2, 0, 2, 0, 2]);
  t.is(floorSegments(zigzag, 0.5).points, 4);
  t.is(minLinkPoints(zigzag, 0.5).points, 6);
});

test("seeded: floor ≤ min-link ≤ every method's points (compress, swing, the DP with knots at samples), on random signals", (t) => {
  const random = seededRandom(12);
  for (let run = 0; run < 60; run++) {
    const n = 20 + Math.floor(random() * 200);
    let level = 0;
    let at = 0;
    const samples: Point[] = [];
    const noise = random() * 2;
    for (let i = 0; i < n; i++) {
      at += random() < 0.8 ? 1000 : 1 + Math.floor(random() * 3000);
      level += random() - 0.5;
      samples.push({ at, value: level + noise * (random() - 0.5) });
    }
    const e = 0.05 + random() * 0.5;
    const min = minLinkPoints(samples, e);
    const compress: Sample[] = [];
    const c = new Compress(e, 1e6);
    for (const s of samples) c.push(s, (p) => compress.push(p));
    c.flush((p) => compress.push(p));
    const label = `run ${run}: n ${n}, e ${e}`;
    t.true(min.exact, label);
    t.true(floorSegments(samples, e).points <= min.points, label);
    t.true(min.points <= compress.length, `${label}: compress ${compress.length} < min-link ${min.points}`);
    t.true(min.points <= swingPoints(samples, e).length, label);
    t.true(min.points <= optimumPoints(samples, e), label);
  }
});
