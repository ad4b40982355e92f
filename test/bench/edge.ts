/**
 * `npm run bench`, the edge part (issue 12, item 8): for seeded synthetic
 * signals and each SKAB recording present, per channel and in total, a plain
 * deadband, the swing filter, the firmware's `compress` and the floor at the
 * same e (5 % of the channel's range in that file): points, ratio to the
 * floor, max and RMS error in units of e (all reconstructed by linear
 * interpolation, checked by test/helpers/series-check.ts); beside it the
 * optimum of a polyline with vertices at sample times (a DP, where cheap)
 * and the exact optimum of any linear reduction, points free in time and
 * value (compression-min-link.ts): the lowest ratio any method can reach;
 * a bench prototype of that exact method made online over a bounded block
 * of samples (compression-online.ts, not firmware: what a port would reach);
 * and the compute per sample on Node and inside XS (xsnap's meter).
 *
 * The ratio is points / floor points, summed over a file's channels: a
 * method's reported points (every point the stage emits) over the floor's
 * segments + 1 per channel. The floor is not reachable by a connected
 * series (its segments need not meet); the min-link column says how close
 * any series can come.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Compress } from "../../modules/edge/compress.js";
import type { Sample } from "../../modules/edge/filter.js";
import { seededRandom } from "../helpers/seeded-random.js";
import { seriesError, type Point } from "../helpers/series-check.js";
import { deadbandPoints, floorSegments, swingPoints } from "./compression-baselines.js";
import { minLinkPoints } from "./compression-min-link.js";
import { ONLINE_BENCH, onlinePoints } from "./compression-online.js";
import { optimumPoints } from "./compression-optimum.js";
import { loadSkab, SKAB_CHANNELS } from "./skab.js";
import { CONSOLE, type BenchRow, type Details } from "./table.js";

/** The bound as a share of each channel's range in its file. */
const E_SHARE = 0.05;
/** The target: compress at most this many times the floor's points on every SKAB file. */
const TARGET = 1.5;
/** The DP optimum is computed only where the floor's segments average fewer samples than this (else it is slow). */
const OPTIMUM_MAX_SEGMENT = 50;

interface Series {
  name: string;
  samples: Point[];
}

/** Seeded synthetic signals, 1 Hz, one hour each. */
function synthetic(): Series[] {
  const n = 3600;
  const random = seededRandom(42);
  const walk: Point[] = [];
  let level = 0;
  for (let i = 0; i < n; i++) walk.push({ at: i * 1000, value: (level += random() - 0.5) });
  return [
    { name: "sine + 2 % noise", samples: Array.from({ length: n }, (_, i) => ({ at: i * 1000, value: Math.sin((2 * Math.PI * i) / 600) + 0.04 * (random() - 0.5) })) },
    { name: "random walk", samples: walk },
    { name: "steps + 1 % noise", samples: Array.from({ length: n }, (_, i) => ({ at: i * 1000, value: Math.floor(i / 300) % 3 + 0.03 * (random() - 0.5) })) },
    { name: "white noise", samples: Array.from({ length: n }, (_, i) => ({ at: i * 1000, value: random() })) },
  ];
}

function compressPoints(samples: readonly Point[], e: number): Point[] {
  const out: Point[] = [];
  const c = new Compress(e);
  const emit = (s: Sample) => out.push(s);
  for (const s of samples) c.push(s, emit);
  c.flush(emit);
  return out;
}

function rangeOf(samples: readonly Point[]): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of samples) {
    lo = Math.min(lo, s.value);
    hi = Math.max(hi, s.value);
  }
  return hi - lo || 1;
}

type Row = Record<string, string | number>;
interface Totals {
  floor: number;
  deadband: number;
  swing: number;
  compress: number;
  optimum: number;
  optimumFloor: number;
  minLink: number;
  /** The bench prototype of an online exact method (compression-online.ts). */
  online: number;
  /** Some channel's min-link count is a lower bound (see compression-min-link.ts). */
  minLinkBound: boolean;
}

function channelRow(name: string, samples: Point[], totals: Totals): Row {
  const e = E_SHARE * rangeOf(samples);
  const floor = floorSegments(samples, e);
  const online = onlinePoints(samples, e, ONLINE_BENCH.window, ONLINE_BENCH.keep, ONLINE_BENCH.pieces).points;
  const methods = { deadband: deadbandPoints(samples, e), swing: swingPoints(samples, e), compress: compressPoints(samples, e), online };
  const cheap = samples.length / floor.segments < OPTIMUM_MAX_SEGMENT;
  const optimum = cheap ? optimumPoints(samples, e, 400) : undefined;
  const minLink = minLinkPoints(samples, e);
  totals.minLink += minLink.points;
  if (!minLink.exact) totals.minLinkBound = true;
  totals.floor += floor.points;
  totals.deadband += methods.deadband.length;
  totals.swing += methods.swing.length;
  totals.compress += methods.compress.length;
  totals.online += methods.online.length;
  if (optimum !== undefined) {
    totals.optimum += optimum;
    totals.optimumFloor += floor.points;
  }
  const row: Row = { channel: name, samples: samples.length, "floor pts": floor.points };
  for (const [method, points] of Object.entries(methods)) {
    const error = seriesError(samples, points);
    row[`${method} pts (×floor)`] = `${points.length} (${(points.length / floor.points).toFixed(2)})`;
    row[`${method} max|RMS /e`] = `${(error.max / e).toFixed(2)}|${(error.rms / e).toFixed(2)}`;
  }
  row["DP optimum@samples (×floor)"] = optimum === undefined ? "-" : `${optimum} (${(optimum / floor.points).toFixed(2)})`;
  row["min-link optimum (×floor)"] = `${minLink.exact ? "" : "≥ "}${minLink.points} (${(minLink.points / floor.points).toFixed(2)})`;
  return row;
}

function totalRow(label: string, totals: Totals, samples: number): Row {
  const ratio = (n: number) => `${n} (${(n / totals.floor).toFixed(2)})`;
  return {
    channel: label,
    samples,
    "floor pts": totals.floor,
    "deadband pts (×floor)": ratio(totals.deadband),
    "swing pts (×floor)": ratio(totals.swing),
    "compress pts (×floor)": ratio(totals.compress),
    "online pts (×floor)": ratio(totals.online),
    "DP optimum@samples (×floor)": totals.optimumFloor ? `(${(totals.optimum / totals.optimumFloor).toFixed(2)} on ${totals.optimumFloor === totals.floor ? "all" : "the noisy"} channels)` : "-",
    "min-link optimum (×floor)": `${totals.minLinkBound ? "≥ " : ""}${ratio(totals.minLink)}`,
  };
}

const emptyTotals = (): Totals => ({ floor: 0, deadband: 0, swing: 0, compress: 0, online: 0, optimum: 0, optimumFloor: 0, minLink: 0, minLinkBound: false });

/** Node µs per sample of `run` over `count` samples, repeated for at least 300 ms. */
function microsPerSample(run: () => void, count: number): number {
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < 300) {
    run();
    n++;
  }
  return ((performance.now() - start) * 1000) / (n * count);
}

/** The edge rows of the bench table for the SKAB recordings in `dir` (main.ts: `--recordings`, default ../shared/data/skab); the detailed tables go to `details`. */
export async function edgeBench(dir: string, details: Details = CONSOLE): Promise<BenchRow[]> {
  const console = details;
  console.log(`\nEdge compression at e = ${E_SHARE * 100} % of each channel's range: points (× the floor: the fewest line segments that keep every sample within e, + 1), errors of the linear reconstruction in units of e (max|RMS), the floor and baselines from test/bench/compression-baselines.ts:`);
  const synthTotals = emptyTotals();
  const synthRows = synthetic().map((s) => channelRow(s.name, s.samples, synthTotals));
  synthRows.push(totalRow("total", synthTotals, 4 * 3600));
  console.log("\nSeeded synthetic signals (1 Hz, 1 h each):");
  console.table(synthRows);

  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".csv")).sort() : [];
  if (files.length === 0) console.log(`\nSKAB recordings: none at ${dir} (give --recordings <dir>); skipped.`);
  const summary: Row[] = [];
  const timing: { name: string; series: Point[][] }[] = [];
  for (const file of files) {
    const skab = loadSkab(join(dir, file));
    if (!skab) continue;
    const totals = emptyTotals();
    const series = SKAB_CHANNELS.map((_, k) => skab.readings.map((r) => ({ at: r[k].at, value: r[k].value ?? Number.NaN })));
    const rows = SKAB_CHANNELS.map((c, k) => channelRow(c.name, series[k], totals));
    rows.push(totalRow("total", totals, skab.rows * SKAB_CHANNELS.length));
    console.log(`\nSKAB ${file} (${skab.rows} s, 8 channels at 1 Hz):`);
    console.table(rows);
    const ratio = totals.compress / totals.floor;
    summary.push({
      file,
      "compress ×floor": +ratio.toFixed(3),
      "swing ×floor": +(totals.swing / totals.floor).toFixed(3),
      "deadband ×floor": +(totals.deadband / totals.floor).toFixed(3),
      "DP optimum@samples ×floor (noisy channels)": totals.optimumFloor ? +(totals.optimum / totals.optimumFloor).toFixed(3) : "-",
      "min-link optimum ×floor": +(totals.minLink / totals.floor).toFixed(3),
      "min-link exact": totals.minLinkBound ? "no: a lower bound" : "yes",
      "compress ×min-link": +(totals.compress / totals.minLink).toFixed(3),
      "online prototype ×floor": +(totals.online / totals.floor).toFixed(3),
      "online prototype ×min-link": +(totals.online / totals.minLink).toFixed(3),
      [`target ≤ ${TARGET}`]: ratio <= TARGET ? "met" : totals.minLink > TARGET * totals.floor ? "NOT met (unreachable: min-link above it)" : "NOT met",
    });
    timing.push({ name: file, series });
  }
  if (summary.length) {
    console.log("\nSKAB summary (all 8 channels per file; ratio = points / floor points, summed over the channels; min-link: the fewest points of any linear reduction, ≥ when some channel's count is a lower bound):");
    console.table(summary);
  }
  if (timing.length === 0) timing.push({ name: "synthetic", series: synthetic().map((s) => s.samples) });
  const compute = await computeTable(timing[0], details);
  const range = (key: string) => {
    const values = summary.map((r) => Number(r[key]));
    return values.length ? `${Math.min(...values).toFixed(2)}-${Math.max(...values).toFixed(2)}` : "-";
  };
  const synth = (n: number) => (n / synthTotals.floor).toFixed(2);
  return [
    {
      what: summary.length
        ? `compress(5 % of each channel's range), points × the floor (fewest segments within e, + 1), on the ${summary.length} SKAB files (target ≤ ${TARGET})`
        : `compress(5 % of range), points × the floor, seeded synthetic signals (SKAB recordings absent)`,
      fieldnode: summary.length ? range("compress ×floor") : synth(synthTotals.compress),
      baseline: summary.length ? `swing ${range("swing ×floor")}, deadband ${range("deadband ×floor")}` : `swing ${synth(synthTotals.swing)}, deadband ${synth(synthTotals.deadband)}`,
    },
    ...(summary.length
      ? [
          {
            what: `the fewest points of any linear reduction (exact min-link path, points free in time and value; a lower bound where not exact) × the floor, on the ${summary.length} SKAB files: ${TARGET} is unreachable where above it`,
            fieldnode: `compress ${range("compress ×min-link")} × that optimum`,
            baseline: `optimum ${range("min-link optimum ×floor")} × the floor`,
          },
          {
            what: `bench prototype, not firmware: the exact method made online over a block of ${ONLINE_BENCH.window} samples (compression-online.ts), × the optimum on the ${summary.length} SKAB files`,
            fieldnode: `online ${range("online prototype ×min-link")} × the optimum (${range("online prototype ×floor")} × the floor)`,
            baseline: `compress ${range("compress ×min-link")}`,
          },
        ]
      : []),
    {
      what: `compute per sample of compress, Node µs / XS meter (${compute.name})`,
      fieldnode: `${compute.node.compress.toFixed(2)} µs / ${compute.xs.compress}`,
      baseline: `deadband ${compute.node.deadband.toFixed(2)} µs / ${compute.xs.deadband}`,
    },
  ];
}

/** Compute per sample on Node and inside XS, on the first file's channels. */
async function computeTable({ name, series }: { name: string; series: Point[][] }, console: Details): Promise<{ name: string; node: Record<"compress" | "swing" | "deadband", number>; xs: Record<string, number | string> }> {
  const count = series.reduce((n, s) => n + s.length, 0);
  const es = series.map((s) => E_SHARE * rangeOf(s));
  const rows: Row[] = [];
  const node = {
    compress: microsPerSample(() => series.forEach((s, k) => compressPoints(s, es[k])), count),
    swing: microsPerSample(() => series.forEach((s, k) => swingPoints(s, es[k])), count),
    deadband: microsPerSample(() => series.forEach((s, k) => deadbandPoints(s, es[k])), count),
  };
  let xs: Record<string, number | string> = { compress: "-", deadband: "-", "empty chain": "-" };
  let note = "";
  let memory = "";
  try {
    const { runOnXS } = await import("../helpers/xs.js");
    const run = await runOnXS("test/xs/entries/edge-filters.ts", { timeoutMs: 120_000 });
    try {
      const meter = async (chain: (k: number) => string) => {
        let total = 0;
        for (let k = 0; k < series.length; k++)
          for (let i = 0; i < series[k].length; i += 500) {
            await run.command("count", { text: chain(k), rows: series[k].slice(i, i + 500).map((p) => [p.value, p.at]) });
            total += run.lastCompute ?? Number.NaN;
          }
        return total / count;
      };
      // Each chunk is its own chain (fresh state): compress restarts every 500 samples, a few points more than one long run.
      const before = await run.footprint();
      await run.command("hold", { texts: es.map((e) => `compress(${e})`), rows: series[0].slice(0, 500).map((p) => [p.value, p.at]) });
      const after = await run.footprint();
      const slots = (after.slots - before.slots) / series.length;
      const bytes = (after.snapshotBytes - before.snapshotBytes) / series.length;
      memory = `a chain with one compress stage, fed 500 samples, holds ${Math.round(bytes)} B of an XS snapshot on this 64-bit host: ${Math.round(slots)} slots (${Math.round(slots * 16)} B at the ESP32's 16 B/slot) and about ${Math.round(bytes - slots * 32)} B of chunks (the polygons and the sample ring); measured over ${series.length} such chains`;
      const empty = await meter(() => "");
      xs = { "empty chain": +empty.toFixed(0), compress: +((await meter((k) => `compress(${es[k]})`)) - empty).toFixed(0), deadband: +((await meter((k) => `deadband(${es[k]})`)) - empty).toFixed(0) };
    } finally {
      await run.close();
    }
  } catch (error) {
    note = `XS not measured: ${(error as Error).message.split("\n")[0]}`;
  }
  rows.push({ method: "compress (firmware)", "Node µs/sample": +node.compress.toFixed(3), "XS meter/sample (− empty chain)": xs.compress });
  rows.push({ method: "deadband (bench baseline; XS: the firmware deadband filter)", "Node µs/sample": +node.deadband.toFixed(3), "XS meter/sample (− empty chain)": xs.deadband });
  rows.push({ method: "swing (bench baseline, not firmware)", "Node µs/sample": +node.swing.toFixed(3), "XS meter/sample (− empty chain)": "-" });
  rows.push({ method: "empty chain (harness: decode rows, push, count)", "Node µs/sample": "-", "XS meter/sample (− empty chain)": xs["empty chain"] });
  console.log(`\nCompute per sample on ${name} (${count} samples): Node wall time; XS: xsnap's computation meter (engine steps, machine-independent) per sample, the harness's cost (empty chain) subtracted:`);
  console.table(rows);
  if (note) console.log(`  ${note}`);
  if (memory) console.log(`  Memory inside XS: ${memory}.`);
  return { name, node, xs };
}
