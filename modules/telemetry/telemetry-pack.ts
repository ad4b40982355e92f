import { qualityText, type Reading } from "../io/reading.js";
import { decodeSenmlPack, encodeSenmlPack, type SenmlRecord } from "./senml.js";
import { utf8Length } from "../util/utf8.js";

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
 * Builds the SenML records of one telemetry pack. Layout (see README):
 * record 0 carries bn (`<nodeId>:`), bt (time of the first reading, seconds)
 * and the metadata `_seq` (v); record 1 `_boot` (vs); optional `_clock`
 * (vs "uptime") and `_hist` (vb true); then one record per reading with
 * n, u, v and t relative to bt. A reading that is not good is preceded by
 * `_q.<channel>` (vs "uncertain:<reason>" or "bad:<reason>", same t); a bad
 * one has no value record at all. Names starting with "_" are metadata.
 */
export function buildTelemetryRecords(header: PackHeader, readings: readonly Reading[]): SenmlRecord[] {
  const origin = readings.length > 0 ? readings[0].at : 0;
  const toSeconds = (monotonic: number) =>
    header.epochAtBoot === undefined ? monotonic / 1000 : (header.epochAtBoot + monotonic) / 1000;
  const records: SenmlRecord[] = [
    { bn: `${header.nodeId}:`, bt: toSeconds(origin), n: "_seq", v: header.seq },
    { n: "_boot", vs: header.bootId },
  ];
  if (header.epochAtBoot === undefined) records.push({ n: "_clock", vs: "uptime" });
  if (header.historical) records.push({ n: "_hist", vb: true });
  for (const reading of readings) {
    const t = (reading.at - origin) / 1000;
    if (reading.quality !== "good") {
      // Quality as metadata (QUALITY_PREFIX): a plain RFC 8428 decoder sees a string record it may ignore.
      const quality: SenmlRecord = { n: `${QUALITY_PREFIX}${reading.channel}`, vs: qualityText(reading) };
      if (t !== 0) quality.t = t;
      records.push(quality);
      if (reading.quality === "bad") continue;
    }
    // A channel without a unit (a replayed CSV column) leaves `u` out.
    const record: SenmlRecord = reading.unit ? { n: reading.channel, u: reading.unit, v: roundValue(reading.value) } : { n: reading.channel, v: roundValue(reading.value) };
    if (t !== 0) record.t = t;
    records.push(record);
  }
  return records;
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
 * An upper bound of `encodeTelemetryPack(header, readings).byteLength`,
 * without encoding: cheap enough to ask before each reading joins a pack.
 * Every record counts all its fields at their largest CBOR form, the
 * optional `_clock` and `_hist` records included.
 */
export function telemetryPackBound(header: Pick<PackHeader, "nodeId" | "bootId">, readings: readonly Reading[]): number {
  const field = (bytes: number) => LABEL + bytes;
  let bound = 5; // array header
  bound += MAP_BOUND + field(textBound(`${header.nodeId}:`)) + field(NUMBER_BOUND) + field(textBound("_seq")) + field(NUMBER_BOUND);
  bound += MAP_BOUND + field(textBound("_boot")) + field(textBound(header.bootId));
  bound += MAP_BOUND + field(textBound("_clock")) + field(textBound("rebased"));
  bound += MAP_BOUND + field(textBound("_hist")) + field(1);
  for (const r of readings) {
    bound += MAP_BOUND + field(textBound(r.channel)) + field(textBound(r.unit)) + field(NUMBER_BOUND) + field(NUMBER_BOUND);
    if (r.quality !== "good") bound += MAP_BOUND + field(textBound(QUALITY_PREFIX + r.channel)) + field(textBound(qualityText(r))) + field(NUMBER_BOUND);
  }
  return bound;
}

/** Encodes a telemetry pack as SenML-CBOR. */
export function encodeTelemetryPack(header: PackHeader, readings: readonly Reading[]): Uint8Array {
  return encodeSenmlPack(buildTelemetryRecords(header, readings));
}

/** Six significant digits: beyond any sensor's accuracy, and float32-friendly. */
function roundValue(value: number): number {
  return Number.isInteger(value) ? value : Number(value.toPrecision(6));
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
  /** Channel readings in pack order; `q` ("uncertain:<reason>", "bad:<reason>") when not good; a bad one has no `v`. */
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

/** The channel records of a pack, with the quality of each `_q.<channel>` record joined to the value of the same name and t. */
function readingsOf(records: readonly SenmlRecord[]): DecodedPack["readings"] {
  const readings: DecodedPack["readings"] = [];
  let quality: { n: string; t: number; q: string } | undefined;
  const flush = () => {
    if (quality) readings.push({ n: quality.n, t: quality.t, q: quality.q });
    quality = undefined;
  };
  for (const r of records) {
    if (r.n === undefined) continue;
    if (r.n.startsWith(QUALITY_PREFIX)) {
      flush();
      quality = { n: r.n.slice(QUALITY_PREFIX.length), t: r.t ?? 0, q: String(r.vs) };
    } else if (!r.n.startsWith("_")) {
      const reading: DecodedPack["readings"][number] = { n: r.n, u: r.u, v: r.v, t: r.t ?? 0 };
      if (quality && quality.n === r.n && quality.t === reading.t) {
        reading.q = quality.q;
        quality = undefined;
      } else flush();
      readings.push(reading);
    }
  }
  flush();
  return readings;
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
