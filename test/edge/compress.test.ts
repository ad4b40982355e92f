import test from "ava";
import fc from "fast-check";
import { Compress } from "../../modules/edge/compress.js";
import type { Sample } from "../../modules/edge/filter.js";
import type { Quality } from "../../modules/io/quality.js";
import { seriesError } from "../helpers/series-check.js";
import { runFilter } from "./run-filter.js";

const within = (t: import("ava").ExecutionContext, rows: [number, number][], e: number, expected: [number, number][]) => {
  t.is(rows.length, expected.length, JSON.stringify(rows));
  rows.forEach(([v, at], i) => {
    t.is(at, expected[i][1]);
    t.true(Math.abs(v - expected[i][0]) <= e, `point ${i}: ${v} vs ${expected[i][0]} ± ${e}`);
  });
};

test("a straight line is two points: its start and, at flush, its end", (t) => {
  const rows = runFilter(new Compress(0.1), Array.from({ length: 10 }, (_, i) => [2 * i, i * 1000] as [number, number]), true);
  within(t, rows as [number, number][], 0.1, [[0, 0], [18, 9000]]);
});

test("a V is three points: start, the apex (a joint), end", (t) => {
  const values = [0, 1, 2, 3, 4, 3, 2, 1, 0];
  const rows = runFilter(new Compress(0.1), values.map((v, i) => [v, i * 1000]), true) as [number, number][];
  t.is(rows.length, 3);
  t.true(seriesError(values.map((value, i) => ({ value, at: i * 1000 })), rows.map(([value, at]) => ({ value, at }))).max <= 0.1);
});

test("nothing is reported before the first segment ends; one point then (the start)", (t) => {
  const c = new Compress(0.5);
  const out: Sample[] = [];
  for (const [v, at] of [[0, 0], [0, 1000], [0, 2000], [10, 3000]]) c.push({ value: v, at }, (s) => out.push(s));
  t.is(out.length, 1);
  t.is(out[0].at, 0);
});

test("a bad reading ends the segment with its end point, passes through, and the next good one starts afresh", (t) => {
  const rows = runFilter(new Compress(0.1), [[1, 0], [1, 1000], [1, 2000], [7, 3000, "bad"], [5, 4000], [5, 5000]], true);
  t.deepEqual(rows, [[1, 0], [1, 2000], [7, 3000, "bad"], [5, 4000], [5, 5000]]);
});

test("a NaN value counts as bad; a quality change ends the segment and uncertain points keep their quality", (t) => {
  const rows = runFilter(new Compress(0.1), [[1, 0], [1, 1000], [Number.NaN, 2000], [2, 3000, "uncertain"], [2, 4000, "uncertain"], [3, 5000], [3, 6000]], true);
  t.deepEqual(rows, [[1, 0], [1, 1000], [Number.NaN, 2000], [2, 3000, "uncertain"], [2, 4000, "uncertain"], [3, 5000], [3, 6000]]);
});

test("a reading not after the previous one is dropped and counted", (t) => {
  const c = new Compress(0.1);
  const rows = runFilter(c, [[1, 0], [1, 1000], [9, 1000], [9, 500], [1, 2000]], true);
  t.deepEqual(rows, [[1, 0], [1, 2000]]);
  t.is(c.stats.outOfOrder, 2);
});

test("max_s bounds the delay: a flat signal gets a point at least every max_s", (t) => {
  const c = new Compress(1, 10);
  const rows = runFilter(c, Array.from({ length: 61 }, (_, i) => [5, i * 1000] as [number, number]), false);
  t.deepEqual(rows.map((r) => r[1]), [0, 10000, 20000, 30000, 40000, 50000]);
});

test("a gap (more than 4 intervals) ends the segment", (t) => {
  const rows = runFilter(new Compress(0.1), [[0, 0], [1, 1000], [2, 2000], [3, 7000], [4, 8000]], true) as [number, number][];
  t.deepEqual(rows.map((r) => r[1]), [0, 2000, 7000, 8000]);
});

test("sync reports the open segment's end and the next segment continues from it", (t) => {
  const c = new Compress(0.1);
  const out: Sample[] = [];
  const emit = (s: Sample) => out.push(s);
  for (let i = 0; i < 5; i++) c.push({ value: i, at: i * 1000 }, emit);
  c.sync(emit);
  t.deepEqual(out.map((s) => s.at), [0, 4000]);
  c.sync(emit);
  t.is(out.length, 2, "nothing new to report");
  for (let i = 5; i < 8; i++) c.push({ value: 4, at: i * 1000 }, emit);
  c.flush(emit);
  t.deepEqual(out.map((s) => s.at), [0, 4000, 7000]);
});

test("points carry the other fields of their segment's first reading", (t) => {
  const c = new Compress(1);
  const out: (Sample & { channel?: string })[] = [];
  c.push({ value: 1, at: 0, channel: "p" } as Sample, (s) => out.push(s));
  c.flush((s) => out.push(s));
  t.deepEqual(out, [{ value: 1, at: 0, channel: "p" }]);
});

test("constructor refuses e and max_s that are not finite numbers above 0", (t) => {
  t.throws(() => new Compress(0), { instanceOf: RangeError, message: "compress: e must be a finite number above 0, got 0" });
  t.throws(() => new Compress(Number.NaN), { instanceOf: RangeError });
  t.throws(() => new Compress(1, Number.POSITIVE_INFINITY), { instanceOf: RangeError, message: "compress: max_s must be a finite number above 0, got Infinity" });
});

/** One generated input step: time step, level change and noise (in units of the scale), quality, a sync when 0. */
const step = fc.record({
  dt: fc.oneof(fc.constant(1000), fc.integer({ min: 1, max: 20_000 })),
  jump: fc.double({ min: -1, max: 1, noNaN: true }),
  noise: fc.double({ min: -1, max: 1, noNaN: true }),
  kind: fc.constantFrom<"good" | "uncertain" | "bad" | "nan">("good", "good", "good", "good", "good", "good", "good", "good", "uncertain", "bad", "nan"),
  sync: fc.integer({ min: 0, max: 30 }),
});

test("seeded property: every good or uncertain sample lies within e of the reported series, across breaks, syncs and flushes", (t) => {
  fc.assert(
    fc.property(
      fc.record({
        e: fc.double({ min: 0.001, max: 50, noNaN: true }),
        maxS: fc.integer({ min: 1, max: 600 }),
        scale: fc.constantFrom(0.1, 1, 10, 1000, 1e5),
        steps: fc.array(step, { maxLength: 300 }),
      }),
      ({ e, maxS, scale, steps }) => {
        const c = new Compress(e, maxS);
        const out: Sample[] = [];
        const emit = (s: Sample) => out.push(s);
        const inputs: Sample[] = [];
        let at = 0;
        let level = 0;
        for (const s of steps) {
          at += s.dt;
          level += s.jump * scale;
          const value = s.kind === "nan" ? Number.NaN : level + s.noise * scale * 0.3;
          const quality: Quality = s.kind === "nan" ? "good" : s.kind;
          const sample = { value, at, quality };
          inputs.push(sample);
          c.push(sample, emit);
          if (s.sync === 0) c.sync(emit);
          // Bounded delay: every sample older than max_s is covered by a reported point.
          const reportedUntil = out.length ? out[out.length - 1].at : -Infinity;
          for (const old of inputs) if (old.at < at - maxS * 1000 && old.at > reportedUntil) return false;
        }
        c.flush(emit);
        for (let i = 1; i < out.length; i++) if (!(out[i].at > out[i - 1].at)) return false;
        const bad = (s: Sample) => s.quality === "bad" || !Number.isFinite(s.value);
        if (out.filter(bad).length !== inputs.filter(bad).length) return false;
        const points = out.filter((s) => !bad(s));
        const kept = inputs.filter((s) => !bad(s));
        const error = seriesError(kept, points);
        const tolerance = 1e-9 * (Math.abs(level) + scale * 10 + e);
        if (error.uncovered > 0 || error.max > e + tolerance) return false;
        // A point between two samples of one quality has that quality.
        for (const p of points) {
          const before = [...kept].reverse().find((q) => q.at <= p.at);
          const after = kept.find((q) => q.at >= p.at);
          if (before && after && before.quality === after.quality && p.quality !== before.quality) return false;
        }
        return true;
      },
    ),
    { seed: 2026, numRuns: 400 },
  );
  t.pass();
});

test("seeded property, e to the signal's scale: joints between sample times happen and keep the bound", (t) => {
  // The run above draws e apart from the signal's scale, so its segments are mostly one sample or all of them and it
  // never reports a point between two samples; here e is 0.05–2 × the step size, as at 5 % of a noisy channel's range.
  let offSample = 0;
  let points = 0;
  fc.assert(
    fc.property(
      fc.record({
        share: fc.double({ min: 0.05, max: 2, noNaN: true }),
        scale: fc.constantFrom(0.01, 1, 1000, 1e5),
        smooth: fc.double({ min: 0, max: 1, noNaN: true }),
        steps: fc.array(fc.record({ irregular: fc.integer({ min: 0, max: 9 }), dt: fc.integer({ min: 200, max: 1800 }), jump: fc.double({ min: -1, max: 1, noNaN: true }), noise: fc.double({ min: -1, max: 1, noNaN: true }), sync: fc.integer({ min: 0, max: 60 }) }), { minLength: 20, maxLength: 400, size: "max" }),
      }),
      ({ share, scale, smooth, steps }) => {
        const e = share * scale;
        const c = new Compress(e);
        const out: Sample[] = [];
        const emit = (s: Sample) => out.push(s);
        const inputs: Sample[] = [];
        let at = 0;
        let level = 0;
        for (const s of steps) {
          at += s.irregular === 0 ? s.dt : 1000;
          level += s.jump * scale;
          const sample = { value: level + (1 - smooth) * s.noise * scale, at };
          inputs.push(sample);
          c.push(sample, emit);
          if (s.sync === 0) c.sync(emit);
        }
        c.flush(emit);
        for (let i = 1; i < out.length; i++) if (!(out[i].at > out[i - 1].at)) return false;
        const times = new Set(inputs.map((s) => s.at));
        offSample += out.filter((p) => !times.has(p.at)).length;
        points += out.length;
        const error = seriesError(inputs, out);
        return error.uncovered === 0 && error.max <= e + 1e-9 * (Math.abs(level) + scale * 10 + e);
      },
    ),
    { seed: 2027, numRuns: 300 },
  );
  t.log(`${offSample} of ${points} points between sample times`);
  t.true(offSample > 100, `only ${offSample} of ${points} points between sample times`);
});
