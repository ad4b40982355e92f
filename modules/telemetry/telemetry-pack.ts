import { qualityText } from "../io/reading.js";
import type { ReadingMeta, ReadingRows } from "./reading-rows.js";
import { decodeSenmlPack, encodeSenmlPack, SenmlWriter, type SenmlRecord } from "./senml.js";
import { utf8Length } from "../util/utf8.js";
import { cborNumberSize } from "./cbor-number.js";
import { reportedValue, reportWindow, shortestWithin } from "./report-value.js";

/** What a receiver needs to place one pack: who, which boot, which message. */
export interface PackHeader {
  nodeId: string;
  /** Random per boot: a new boot id means sequence numbers restarted. */
  bootId: string;
  /** Per-boot message counter starting at 1: a gap is a loss, a repeat a duplicate. */
  seq: number;
  /**
   * Wall-clock ms at monotonic 0, when the clock is synchronised; otherwise
   * `undefined`, and times are uptime seconds flagged by a `_clock` record.
   */
  epochAtBoot?: number;
  /** Set when the pack is re-sent from the outbox after an outage. */
  historical?: boolean;
}

/**
 * Encodes one telemetry pack as SenML-CBOR. Layout (see README and
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
 *
 * Reads `rows` by index (the Batcher's columns, no object per reading) and
 * writes each record as it is made (`SenmlWriter`): besides the bytes, what
 * it holds is two typed arrays of the rows' size (6 bytes a row) and a
 * record at a time.
 */
export function encodeTelemetryPack(header: PackHeader, rows: ReadingRows): Uint8Array {
  const n = rows.length;
  const wall = header.epochAtBoot !== undefined;
  const origin = baseTime(rows, wall);
  const toSeconds = (monotonic: number) =>
    header.epochAtBoot === undefined ? monotonic / 1000 : (header.epochAtBoot + monotonic) / 1000;
  // The channels in order of first appearance: each row's channel slot, each channel's first row, count and whether it is named.
  const slotOf = new Map<string, number>();
  const channelOf = new Uint16Array(n);
  const first: number[] = [];
  const counts: number[] = [];
  const named: boolean[] = [];
  let records = 2 + (wall ? 0 : 1) + (header.historical ? 1 : 0);
  for (let i = 0; i < n; i++) {
    const meta = rows.meta(i);
    let slot = slotOf.get(meta.channel);
    if (slot === undefined) {
      slotOf.set(meta.channel, (slot = first.length));
      first.push(i);
      counts.push(0);
      named.push(false);
    }
    channelOf[i] = slot;
    counts[slot]++;
    if (meta.quality !== "good") named[slot] = true;
  }
  // A channel with one reading or two is shorter as named records than as a group under its own base name.
  for (let slot = 0; slot < first.length; slot++) {
    if (!named[slot] && namedIsShorter(header.nodeId, rows.meta(first[slot]), counts[slot])) named[slot] = true;
    if (!named[slot]) records += counts[slot];
  }
  for (let i = 0; i < n; i++) {
    if (!named[channelOf[i]]) continue;
    const quality = rows.meta(i).quality;
    records += (quality === "good" ? 0 : 1) + (quality === "bad" ? 0 : 1);
  }
  const out = new SenmlWriter(records);
  out.add({ bn: `${header.nodeId}:`, bt: toSeconds(origin), n: "_seq", v: header.seq });
  out.add({ n: "_boot", vs: header.bootId });
  if (!wall) out.add({ n: "_clock", vs: "uptime" });
  if (header.historical) out.add({ n: "_hist", vb: true });
  for (let i = 0; i < n; i++) {
    if (!named[channelOf[i]]) continue;
    const meta = rows.meta(i);
    const t = relativeSeconds(rows.time(i) - origin);
    if (meta.quality !== "good") {
      // Quality as metadata (QUALITY_PREFIX): a plain RFC 8428 decoder sees a string record it may ignore.
      const quality: SenmlRecord = { n: `${QUALITY_PREFIX}${meta.channel}`, vs: qualityText(meta) };
      if (t !== 0) quality.t = t;
      out.add(quality);
      if (meta.quality === "bad") continue;
    }
    // A channel without a unit (a replayed CSV column) leaves `u` out.
    const v = reportedValue(rows.value(i), meta.tolerance);
    const record: SenmlRecord = meta.unit ? { n: meta.channel, u: meta.unit, v } : { n: meta.channel, v };
    if (t !== 0) record.t = t;
    out.add(record);
  }
  // Each channel's rows, channel after channel (a counting sort of the row numbers, stable).
  const starts: number[] = [];
  for (let slot = 0, at = 0; slot < first.length; slot++) {
    starts.push(at);
    at += counts[slot];
  }
  const byChannel = new Uint32Array(n);
  const next = starts.slice();
  for (let i = 0; i < n; i++) byChannel[next[channelOf[i]]++] = i;
  const grouped: number[] = [];
  for (let slot = 0; slot < first.length; slot++) if (!named[slot]) grouped.push(slot);
  // Units persist (bu), so channels without one come first (a stable sort keeps the rest in order).
  grouped.sort((a, b) => (rows.meta(first[a]).unit === "" ? 0 : 1) - (rows.meta(first[b]).unit === "" ? 0 : 1));
  let unit = "";
  let bv = 0;
  let base = origin;
  for (const slot of grouped) {
    const group = byChannel.subarray(starts[slot], starts[slot] + counts[slot]);
    const groupBv = groupBase(rows, group);
    // Re-basing needs wall time: an uptime pack keeps one bt, the one preparePack re-bases.
    const bases = wall ? rebases(rows, group, base, toSeconds) : undefined;
    for (let i = 0; i < group.length; i++) {
      const record: SenmlRecord = { v: groupValue(rows, group, i, groupBv) };
      if (i === 0) {
        const meta = rows.meta(group[0]);
        record.bn = `${header.nodeId}:${meta.channel}`;
        if (meta.unit !== unit) record.bu = unit = meta.unit;
        // A base value carries on to later groups (RFC 8428 section 4.6): one without its own resets it.
        if ((groupBv ?? 0) !== bv) record.bv = bv = groupBv ?? 0;
      }
      const rebase = bases?.get(i);
      if (rebase !== undefined) {
        base = rebase;
        record.bt = toSeconds(base);
      }
      const t = relativeSeconds(rows.time(group[i]) - base);
      if (t !== 0) record.t = t;
      out.add(record);
    }
  }
  return out.bytes();
}

/**
 * Whether a channel's `count` readings take fewer bytes as named records (n
 * and u in each) than as a group (bn `<nodeId>:<channel>` and bu once), v
 * and t aside: true for a single reading, and for two with a long unit.
 */
function namedIsShorter(nodeId: string, meta: ReadingMeta, count: number): boolean {
  const unit = meta.unit ? 2 + utf8Length(meta.unit) : 0;
  const named = count * (2 + utf8Length(meta.channel) + unit);
  const grouped = 3 + utf8Length(nodeId) + utf8Length(meta.channel) + unit;
  return named <= grouped;
}

/** One-byte relative times: CBOR integers -24..23, a window of 47 s. */
const WINDOW_BEFORE_MS = 24_000;
const WINDOW_MS = 47_000;

/**
 * Where a channel's group (`group`: its row numbers) sets a new base time
 * (index in the group → monotonic ms of the new bt): greedily, windows of
 * 47 s from a reading whose times would all be one-byte integers against a
 * bt 24 s after it, each re-based only when the bytes its times save exceed
 * the bt's own.
 */
function rebases(rows: ReadingRows, group: Uint32Array, base: number, toSeconds: (ms: number) => number): Map<number, number> {
  const out = new Map<number, number>();
  const timeBytes = (t: number) => (t === 0 ? 0 : 1 + cborNumberSize(t));
  for (let i = 0; i < group.length;) {
    const start = rows.time(group[i]);
    const candidate = start + WINDOW_BEFORE_MS;
    let saved = 0;
    let j = i;
    for (; j < group.length && rows.time(group[j]) - start <= WINDOW_MS; j++) {
      const at = rows.time(group[j]);
      saved += timeBytes(relativeSeconds(at - base)) - timeBytes(relativeSeconds(at - candidate));
    }
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
 * after it, opening the first window; else the median reading's (the upper
 * one of an even count). 0 for none.
 */
function baseTime(rows: ReadingRows, rebasing: boolean): number {
  const n = rows.length;
  if (n === 0) return 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const at = rows.time(i);
    if (at < lo) lo = at;
    if (at > hi) hi = at;
  }
  if (hi - lo <= WINDOW_MS - WINDOW_BEFORE_MS) return lo;
  if (rebasing) return lo + WINDOW_BEFORE_MS;
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) times[i] = rows.time(i);
  return times.sort()[n >> 1];
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
 * The base value of one channel's group (`group`: its row numbers), when
 * values relative to it make the group shorter: the first reported value,
 * every other v then being `basedValue` (bv + v exactly as a receiver adds
 * them, within the reading's tolerance); undefined for plain values. Reads
 * the rows twice rather than keeping the values (`groupValue` computes each
 * again as its record is written).
 */
function groupBase(rows: ReadingRows, group: Uint32Array): number | undefined {
  const n = group.length;
  if (n < 2) return undefined;
  const bv = plainValue(rows, group[0]);
  let plainBytes = cborNumberSize(bv);
  let basedBytes = 1 + cborNumberSize(bv) + cborNumberSize(0);
  for (let i = 1; i < n; i++) {
    const window = reportWindow(rows.value(group[i]), rows.meta(group[i]).tolerance);
    const v = basedValue(bv, window.target, window.tolerance);
    if (v === undefined) return undefined;
    plainBytes += cborNumberSize(shortestWithin(window.target, window.tolerance));
    basedBytes += cborNumberSize(v);
  }
  return basedBytes < plainBytes ? bv : undefined;
}

/** The v of the `i`th reading of a group whose base value is `bv` (undefined: plain). */
function groupValue(rows: ReadingRows, group: Uint32Array, i: number, bv: number | undefined): number {
  if (bv === undefined) return plainValue(rows, group[i]);
  if (i === 0) return 0;
  const window = reportWindow(rows.value(group[i]), rows.meta(group[i]).tolerance);
  return basedValue(bv, window.target, window.tolerance) as number;
}

/** A row's reported value on its own (`reportedValue`). */
function plainValue(rows: ReadingRows, row: number): number {
  return reportedValue(rows.value(row), rows.meta(row).tolerance);
}

/** The shortest v with bv + v within `tolerance` of `target` as a receiver adds them; undefined when float rounding allows none. */
function basedValue(bv: number, target: number, tolerance: number): number | undefined {
  const fits = (v: number) => Math.abs(bv + v - target) <= tolerance;
  let v = shortestWithin(target - bv, tolerance);
  if (!fits(v)) v = target - bv;
  return fits(v) ? v : undefined;
}

/** Name prefix of the quality record of a reading that is not good: `_q.<channel>`. */
export const QUALITY_PREFIX = "_q.";

/** CBOR bytes of a text string at most: a header of up to 3 bytes (length < 65,536), then UTF-8. */
const textBound = (text: string) => 3 + utf8Length(text);
/** CBOR bytes of a number at most (float64 or a 64-bit integer). */
const NUMBER_BOUND = 9;
/** CBOR bytes of a record's map header and one label, at most. */
const MAP_BOUND = 3;
const LABEL = 1;

/**
 * An upper bound of `encodeTelemetryPack(header, rows).byteLength`,
 * without encoding: `packBoundBase` plus `readingBound` of each row. Every
 * record counts all its fields at their largest CBOR form (name and unit on
 * every reading, a channel's group base name and base value once), the
 * optional `_clock` and `_hist` records included. The PackMaker adds rows
 * to it one at a time.
 */
export function telemetryPackBound(header: Pick<PackHeader, "nodeId" | "bootId">, rows: ReadingRows): number {
  let bound = packBoundBase(header);
  const channels = new Set<string>();
  for (let i = 0; i < rows.length; i++) {
    const meta = rows.meta(i);
    bound += readingBound(header.nodeId, meta, !channels.has(meta.channel));
    channels.add(meta.channel);
  }
  return bound;
}

/** The part of `telemetryPackBound` that is there with no reading: the array header and the metadata records. */
function packBoundBase(header: Pick<PackHeader, "nodeId" | "bootId">): number {
  let bound = 5; // array header
  bound += MAP_BOUND + field(textBound(`${header.nodeId}:`)) + field(NUMBER_BOUND) + field(textBound("_seq")) + field(NUMBER_BOUND);
  bound += MAP_BOUND + field(textBound("_boot")) + field(textBound(header.bootId));
  bound += MAP_BOUND + field(textBound("_clock")) + field(textBound("rebased"));
  bound += MAP_BOUND + field(textBound("_hist")) + field(1);
  return bound;
}

/**
 * The most bytes one reading adds to a pack's `telemetryPackBound`: its
 * record with name and unit, a quality record when not good, and when it is
 * its channel's first (`firstOfChannel`) the group's bn and bv.
 */
export function readingBound(nodeId: string, meta: ReadingMeta, firstOfChannel: boolean): number {
  let bound = firstOfChannel ? field(textBound(`${nodeId}:${meta.channel}`)) + field(NUMBER_BOUND) : 0;
  bound += MAP_BOUND + field(textBound(meta.channel)) + field(textBound(meta.unit)) + field(NUMBER_BOUND) + field(NUMBER_BOUND);
  if (meta.quality !== "good") bound += MAP_BOUND + field(textBound(QUALITY_PREFIX + meta.channel)) + field(textBound(qualityText(meta))) + field(NUMBER_BOUND);
  return bound;
}

/** CBOR bytes of a field at most: its label, then `bytes`. */
const field = (bytes: number) => LABEL + bytes;

/**
 * Most bytes the header fields of a channel's group take in its first
 * record (bn `<nodeId>:<channel>`, bu, a bv that may reset the one before).
 */
export function groupHeaderBound(nodeId: string, meta: Pick<ReadingMeta, "channel" | "unit">): number {
  return LABEL + textBound(`${nodeId}:${meta.channel}`) + LABEL + textBound(meta.unit) + LABEL + NUMBER_BOUND;
}

/** A telemetry pack as a receiver reads it (see docs/contracts.md). */
export interface DecodedPack {
  nodeId: string;
  bootId: string;
  seq: number;
  /** Base time, seconds (epoch, or uptime when `clock` is "uptime"). */
  bt: number;
  /** "wall" (synchronised), "uptime" (seconds since boot) or "rebased" (uptime re-based after the clock synchronised). */
  clock: "wall" | "uptime" | "rebased";
  historical: boolean;
  /** Channel readings in time order (pack order at equal times); `q` ("uncertain:<reason>", "bad:<reason>") when not good; a bad one has no `v`. */
  readings: { n: string; u?: string; v?: number; t: number; q?: string }[];
}

/** Reads a telemetry pack; a string says why the bytes are not one. Never throws. */
export function decodeTelemetryPack(bytes: Uint8Array): DecodedPack | string {
  const records = decodeSenmlPack(bytes);
  if (typeof records === "string") return records;
  const first = records[0];
  if (!first || typeof first.bn !== "string" || typeof first.bt !== "number" || first.n !== "_seq" || typeof first.v !== "number")
    return "record 0 must carry bn, bt and _seq";
  const boot = records.find((r) => r.n === "_boot");
  if (!boot || typeof boot.vs !== "string") return "no _boot record";
  const clock = records.find((r) => r.n === "_clock")?.vs ?? "wall";
  if (clock !== "wall" && clock !== "uptime" && clock !== "rebased") return `unknown _clock "${clock}"`;
  return {
    nodeId: first.bn.endsWith(":") ? first.bn.slice(0, -1) : first.bn,
    bootId: boot.vs,
    seq: first.v,
    bt: first.bt,
    clock,
    historical: records.some((r) => r.n === "_hist" && r.vb === true),
    readings: readingsOf(records),
  };
}

/**
 * The channel records of a pack, resolved as RFC 8428 section 4.6 says (bn,
 * bt, bu and bv carry on to later records until redefined; name = bn + n,
 * unit = u or bu, value = bv + v), named relative to record 0's base name
 * and timed relative to its base time, with the quality of each
 * `_q.<channel>` record joined to the value of the same name and t.
 */
function readingsOf(records: readonly SenmlRecord[]): DecodedPack["readings"] {
  const readings: DecodedPack["readings"] = [];
  const prefix = records[0].bn ?? "";
  const bt0 = records[0].bt ?? 0;
  let bn = "";
  let bt = 0;
  let bu: string | undefined;
  let bv = 0;
  let quality: { n: string; t: number; q: string } | undefined;
  const flush = () => {
    if (quality) readings.push({ n: quality.n, t: quality.t, q: quality.q });
    quality = undefined;
  };
  for (const r of records) {
    if (r.bn !== undefined) bn = r.bn;
    if (r.bt !== undefined) bt = r.bt;
    if (r.bu !== undefined) bu = r.bu;
    if (r.bv !== undefined) bv = r.bv;
    const name = bn + (r.n ?? "");
    const n = name.startsWith(prefix) ? name.slice(prefix.length) : name;
    if (n === "") continue;
    // A group that re-bases its time (bt) is read relative to record 0's bt, to the microsecond (float noise of the subtraction off).
    const t = bt === bt0 ? r.t ?? 0 : Math.round((bt - bt0 + (r.t ?? 0)) * 1e6) / 1e6;
    if (n.startsWith(QUALITY_PREFIX)) {
      flush();
      quality = { n: n.slice(QUALITY_PREFIX.length), t, q: String(r.vs) };
    } else if (!n.startsWith("_")) {
      const reading: DecodedPack["readings"][number] = { n, u: r.u ?? bu, v: r.v === undefined ? undefined : bv + r.v, t };
      if (quality && quality.n === n && quality.t === reading.t) {
        reading.q = quality.q;
        quality = undefined;
      } else flush();
      readings.push(reading);
    }
  }
  flush();
  // Channel by channel on the wire; in time order for the reader (stable: pack order at equal times).
  return readings.sort((a, b) => a.t - b.t);
}

/** How a queued pack must change before it is sent. */
export interface SendContext {
  historical: boolean;
  /** The running boot, and its wall-clock ms at monotonic 0 once the clock is synchronised. */
  bootId: string;
  epochAtBoot?: number;
}

/**
 * Prepares a stored pack for sending: adds the `_hist` record when it waited
 * for the broker, and re-bases an uptime-stamped pack of the running boot to
 * wall time once the clock is synchronised (bt += epoch at boot, `_clock`
 * becomes "rebased"). Packs of earlier boots keep their uptime stamps (that
 * boot's epoch is unknown). Returns the bytes unchanged when nothing
 * applies, and unchanged bytes for anything it cannot decode.
 */
export function preparePack(bytes: Uint8Array, context: SendContext): Uint8Array {
  const records = decodeSenmlPack(bytes);
  if (typeof records === "string" || records.length < 2) return bytes;
  let changed = false;
  const clock = records.find((r) => r.n === "_clock");
  const boot = records.find((r) => r.n === "_boot");
  if (clock?.vs === "uptime" && context.epochAtBoot !== undefined && boot?.vs === context.bootId && typeof records[0].bt === "number") {
    records[0].bt = (context.epochAtBoot + records[0].bt * 1000) / 1000;
    clock.vs = "rebased";
    changed = true;
  }
  if (context.historical && !records.some((r) => r.n === "_hist")) {
    const at = records.findIndex((r) => r.n === undefined || !r.n.startsWith("_"));
    records.splice(at < 0 ? records.length : at, 0, { n: "_hist", vb: true });
    changed = true;
  }
  return changed ? encodeSenmlPack(records) : bytes;
}

/** Bytes `preparePack` may add to a pack: `_hist` (10) + a float64 bt (≤ 9) + "rebased" (1), rounded up. */
export const PREPARE_GROWTH = 24;

/**
 * Largest pack that still fits one QoS 1 PUBLISH of `maxPacketBytes` on
 * `topicBytes` of topic once `preparePack` has had its say: fixed header
 * (≤ 5), topic (2 + length), packet id (2) and `PREPARE_GROWTH` come off.
 */
export function packLimit(maxPacketBytes: number, topicBytes: number): number {
  return maxPacketBytes - 9 - topicBytes - PREPARE_GROWTH;
}
