/**
 * The telemetry pack encoder as it was before the Batcher stored waiting
 * readings as columns (modules/telemetry/telemetry-pack.ts now reads
 * `ReadingRows` and streams its records): an array of `Reading` objects in,
 * every SenML record built at once. Kept as the reference the new encoder
 * must equal byte for byte (test/telemetry/pack-rows.test.ts), and for the
 * bench's SenML-JSON baseline (the same records as JSON). Not firmware.
 */
import { qualityText, type Reading } from "../../modules/io/reading.js";
import { encodeSenmlPack, type SenmlRecord } from "../../modules/telemetry/senml.js";
import { utf8Length } from "../../modules/util/utf8.js";
import { cborNumberSize } from "../../modules/telemetry/cbor-number.js";
import { reportedValue, reportWindow, shortestWithin } from "../../modules/telemetry/report-value.js";
import { QUALITY_PREFIX, type PackHeader } from "../../modules/telemetry/telemetry-pack.js";

/** `encodeTelemetryPack` before the columns: the reference. */
export function encodeTelemetryPackV1(header: PackHeader, readings: readonly Reading[]): Uint8Array {
  return encodeSenmlPack(buildTelemetryRecordsV1(header, readings));
}

/**
 * Builds the SenML records of one telemetry pack. Layout (see README and
 * docs/contracts.md): record 0 carries bn (`<nodeId>:`), bt (a base time
 * near the readings, seconds: `baseTime`) and the metadata `_seq` (v); record 1 `_boot`
 * (vs); optional `_clock` (vs "uptime") and `_hist` (vb true). Then the
 * readings of every channel that has one not good in this pack (or so few
 * that names are shorter than a group: one, or two with a long unit), one record
 * each with n, u, v and t relative to bt, a reading that is not good preceded
 * by `_q.<channel>` (vs "uncertain:<reason>" or "bad:<reason>", same t; a bad
 * one has no value record at all). Then one group per other channel: its
 * first record sets bn to `<nodeId>:<channel>` and bu to its unit (left out
 * when the group before had the same unit; channels without a unit come
 * first, before any bu), and bv when a base value makes the group shorter;
 * each record has only v (relative to bv) and t (left out when 0). Names
 * starting with "_" are metadata. Values: `reportedValue` (six significant
 * digits, or within a compress point's tolerance) in the shortest exact CBOR
 * form, so a receiver reads exactly the value the node reports.
 */
export function buildTelemetryRecordsV1(header: PackHeader, readings: readonly Reading[]): SenmlRecord[] {
  const origin = baseTime(readings, header.epochAtBoot !== undefined);
  const toSeconds = (monotonic: number) =>
    header.epochAtBoot === undefined ? monotonic / 1000 : (header.epochAtBoot + monotonic) / 1000;
  const records: SenmlRecord[] = [
    { bn: `${header.nodeId}:`, bt: toSeconds(origin), n: "_seq", v: header.seq },
    { n: "_boot", vs: header.bootId },
  ];
  if (header.epochAtBoot === undefined) records.push({ n: "_clock", vs: "uptime" });
  if (header.historical) records.push({ n: "_hist", vb: true });
  const groups = new Map<string, Reading[]>();
  const mixed = new Set<string>();
  for (const reading of readings) {
    if (reading.quality !== "good") mixed.add(reading.channel);
    const group = groups.get(reading.channel);
    if (group) group.push(reading);
    else groups.set(reading.channel, [reading]);
  }
  // A channel with one reading or two is shorter as named records than as a group under its own base name.
  for (const [channel, group] of groups) if (namedIsShorter(header.nodeId, channel, group)) mixed.add(channel);
  for (const reading of readings) {
    if (!mixed.has(reading.channel)) continue;
    const t = relativeSeconds(reading.at - origin);
    if (reading.quality !== "good") {
      // Quality as metadata (QUALITY_PREFIX): a plain RFC 8428 decoder sees a string record it may ignore.
      const quality: SenmlRecord = { n: `${QUALITY_PREFIX}${reading.channel}`, vs: qualityText(reading) };
      if (t !== 0) quality.t = t;
      records.push(quality);
      if (reading.quality === "bad") continue;
    }
    // A channel without a unit (a replayed CSV column) leaves `u` out.
    const record: SenmlRecord = reading.unit ? { n: reading.channel, u: reading.unit, v: reportedValue(reading.value, reading.tolerance) } : { n: reading.channel, v: reportedValue(reading.value, reading.tolerance) };
    if (t !== 0) record.t = t;
    records.push(record);
  }
  const good = [...groups.entries()].filter(([channel]) => !mixed.has(channel));
  // Units persist (bu), so channels without one come first (a stable sort keeps the rest in order).
  good.sort(([, a], [, b]) => (a[0].unit === "" ? 0 : 1) - (b[0].unit === "" ? 0 : 1));
  let unit = "";
  let bv = 0;
  let base = origin;
  for (const [channel, group] of good) {
    const values = groupValues(group);
    // Re-basing needs wall time: an uptime pack keeps one bt, the one preparePack re-bases.
    const bases = header.epochAtBoot === undefined ? undefined : rebases(group, base, toSeconds);
    group.forEach((reading, i) => {
      const record: SenmlRecord = { v: values.v[i] };
      if (i === 0) {
        record.bn = `${header.nodeId}:${channel}`;
        if (reading.unit !== unit) record.bu = unit = reading.unit;
        // A base value carries on to later groups (RFC 8428 section 4.6): one without its own resets it.
        if ((values.bv ?? 0) !== bv) record.bv = bv = values.bv ?? 0;
      }
      const rebase = bases?.get(i);
      if (rebase !== undefined) {
        base = rebase;
        record.bt = toSeconds(base);
      }
      const t = relativeSeconds(reading.at - base);
      if (t !== 0) record.t = t;
      records.push(record);
    });
  }
  return records;
}

/**
 * Whether a channel's readings take fewer bytes as named records (n and u
 * in each) than as a group (bn `<nodeId>:<channel>` and bu once), v and t
 * aside: true for a single reading, and for two with a long unit.
 */
function namedIsShorter(nodeId: string, channel: string, group: readonly Reading[]): boolean {
  const unit = group[0].unit ? 2 + utf8Length(group[0].unit) : 0;
  const named = group.length * (2 + utf8Length(channel) + unit);
  const grouped = 3 + utf8Length(nodeId) + utf8Length(channel) + unit;
  return named <= grouped;
}

/** One-byte relative times: CBOR integers -24..23, a window of 47 s. */
const WINDOW_BEFORE_MS = 24_000;
const WINDOW_MS = 47_000;

/**
 * Where a channel's group sets a new base time (index of the reading →
 * monotonic ms of the new bt): greedily, windows of 47 s from a reading
 * whose times would all be one-byte integers against a bt 24 s after it,
 * each re-based only when the bytes its times save exceed the bt's own.
 */
function rebases(group: readonly Reading[], base: number, toSeconds: (ms: number) => number): Map<number, number> {
  const out = new Map<number, number>();
  const timeBytes = (t: number) => (t === 0 ? 0 : 1 + cborNumberSize(t));
  for (let i = 0; i < group.length;) {
    const candidate = group[i].at + WINDOW_BEFORE_MS;
    let saved = 0;
    let j = i;
    for (; j < group.length && group[j].at - group[i].at <= WINDOW_MS; j++) saved += timeBytes(relativeSeconds(group[j].at - base)) - timeBytes(relativeSeconds(group[j].at - candidate));
    if (saved > 1 + cborNumberSize(toSeconds(candidate))) {
      out.set(i, candidate);
      base = candidate;
    }
    i = j;
  }
  return out;
}

/**
 * The pack's base time, so that relative times are small (CBOR writes
 * -24..23 in one byte, -256..255 in two): the earliest reading's when the
 * pack spans at most 23 s (t from 0, left out at 0); else, with wall time
 * (`rebasing`: groups then set a new bt per window, see `rebases`), 24 s
 * after it, opening the first window; else the middle reading's. 0 for none.
 */
function baseTime(readings: readonly Reading[], rebasing: boolean): number {
  if (readings.length === 0) return 0;
  const times = readings.map((r) => r.at).sort((a, b) => a - b);
  if (times[times.length - 1] - times[0] <= WINDOW_MS - WINDOW_BEFORE_MS) return times[0];
  return rebasing ? times[0] + WINDOW_BEFORE_MS : times[times.length >> 1];
}

/**
 * Seconds from a pack's base time, from ms: whole ms when the difference is
 * one up to float noise (a drift-free schedule's stamps, origin + k ×
 * interval, differ by whole ms up to a rounding of the origin's fraction).
 */
function relativeSeconds(ms: number): number {
  const whole = Math.round(ms);
  return (Math.abs(ms - whole) < 1e-6 ? whole : ms) / 1000;
}

/**
 * The reported values of one channel's group, as v relative to a base value
 * `bv` when one makes the group shorter (bv = the first reported value, then
 * every v is bv + v exactly as a receiver adds them, within the reading's
 * tolerance), else plain (bv undefined).
 */
function groupValues(group: readonly Reading[]): { bv?: number; v: number[] } {
  const windows = group.map((r) => reportWindow(r.value as number, r.tolerance));
  const plain = windows.map((w) => shortestWithin(w.target, w.tolerance));
  if (group.length < 2) return { v: plain };
  const bv = plain[0];
  const based: number[] = [0];
  for (let i = 1; i < group.length; i++) {
    const { target, tolerance } = windows[i];
    const fits = (v: number) => Math.abs(bv + v - target) <= tolerance;
    let v = shortestWithin(target - bv, tolerance);
    if (!fits(v)) v = target - bv;
    if (!fits(v)) return { v: plain };
    based.push(v);
  }
  let plainBytes = 0;
  let basedBytes = 1 + cborNumberSize(bv);
  for (let i = 0; i < group.length; i++) {
    plainBytes += cborNumberSize(plain[i]);
    basedBytes += cborNumberSize(based[i]);
  }
  return basedBytes < plainBytes ? { bv, v: based } : { v: plain };
}

