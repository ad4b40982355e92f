import type { Reading } from "../io/channels.js";
import { encodeSenmlPack, type SenmlRecord } from "./senml.js";

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
 * n, u, v and t relative to bt. Names starting with "_" are metadata.
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
    const record: SenmlRecord = { n: reading.channel, u: reading.unit, v: roundValue(reading.value) };
    const t = (reading.at - origin) / 1000;
    if (t !== 0) record.t = t;
    records.push(record);
  }
  return records;
}

/** Encodes a telemetry pack as SenML-CBOR. */
export function encodeTelemetryPack(header: PackHeader, readings: readonly Reading[]): Uint8Array {
  return encodeSenmlPack(buildTelemetryRecords(header, readings));
}

/** Six significant digits: beyond any sensor's accuracy, and float32-friendly. */
function roundValue(value: number): number {
  return Number.isInteger(value) ? value : Number(value.toPrecision(6));
}
