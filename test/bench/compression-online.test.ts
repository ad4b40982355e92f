import test from "ava";
import { seededRandom } from "../helpers/seeded-random.js";
import { seriesError, type Point } from "../helpers/series-check.js";
import { minLinkPoints } from "./compression-min-link.js";
import { ONLINE_BENCH, onlinePoints } from "./compression-online.js";

const series = (values: number[]): Point[] => values.map((value, i) => ({ value, at: i * 1000 }));

test("hand-computed: a line is 2 points, a V with its apex between samples 3, two levels 10 apart 4", (t) => {
  t.is(onlinePoints(series([0, 2, 4, 6, 8]), 0.1).points.length, 2);
  const v = onlinePoints(series([0, 1, 2, 3, 3, 2, 1, 0]), 0.1).points;
  t.is(v.length, 3);
  t.true(v[1].at > 3000 && v[1].at < 4000, `apex at ${v[1].at}`);
  t.is(onlinePoints(series([0, 0, 0, 10, 10, 10]), 1).points.length, 4);
});

test("seeded property: every sample within e of the reported points (independent checker), never fewer points than the exact optimum, across commits", (t) => {
  const random = seededRandom(2028);
  let online = 0;
  let optimum = 0;
  let failures = 0;
  for (let run = 0; run < 120; run++) {
    const n = 20 + Math.floor(random() * 300);
    const smooth = random();
    const scale = [0.01, 1, 1000, 1e5][run % 4];
    const e = (0.05 + 2 * random()) * scale;
    let at = 0;
    let level = 0;
    const samples: Point[] = [];
    for (let i = 0; i < n; i++) {
      at += random() < 0.1 ? 200 + Math.floor(random() * 1600) : 1000;
      level += (random() - 0.5) * 2 * scale;
      samples.push({ at, value: level + (1 - smooth) * (random() - 0.5) * 2 * scale });
    }
    const window = [4, 8, 16][run % 3];
    const result = onlinePoints(samples, e, window, 1 + (run % 2), 1 + (run % 5));
    t.true(result.held <= window, `run ${run}: held ${result.held} samples, the block is ${window}`);
    const points = result.points;
    for (let i = 1; i < points.length; i++) t.true(points[i].at > points[i - 1].at, `run ${run}: points in time order`);
    const error = seriesError(samples, points);
    t.is(error.uncovered, 0, `run ${run}`);
    t.true(error.max <= e, `run ${run}: max error ${error.max / e} e`);
    const best = minLinkPoints(samples, e, 0);
    if (best.exact) t.true(points.length >= best.points, `run ${run}: ${points.length} points, fewer than the optimum ${best.points}`);
    online += points.length;
    optimum += best.points;
    failures += result.failures;
  }
  // How close is a bench figure (npm run bench), not asserted here; small windows and 1 polygon per level are in these runs.
  t.log(`online ${online} points, optimum ${optimum}, ${failures} blocks reported as samples`);
});

test("the bench setting on a long smooth signal: the block stays bounded (long links are folded) and the bound holds", (t) => {
  const random = seededRandom(7);
  const samples = Array.from({ length: 3000 }, (_, i) => ({ at: i * 1000, value: Math.sin(i / 300) + 0.01 * random() }));
  const result = onlinePoints(samples, 0.05, ONLINE_BENCH.window, ONLINE_BENCH.keep, ONLINE_BENCH.pieces);
  t.true(result.held <= ONLINE_BENCH.window);
  t.true(seriesError(samples, result.points).max <= 0.05);
  t.true(result.points.length < 60, `${result.points.length} points`);
});
