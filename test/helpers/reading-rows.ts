/**
 * Between the tests' `Reading` arrays and the `ReadingRows` the pack
 * encoder, the PackMaker and the Batcher's `onBatch` deal in
 * (modules/telemetry/reading-rows.ts).
 */
import type { Reading } from "../../modules/io/reading.js";
import { ChannelColumns } from "../../modules/telemetry/channel-columns.js";
import type { ReadingRows } from "../../modules/telemetry/reading-rows.js";
import { encodeTelemetryPack, type PackHeader } from "../../modules/telemetry/telemetry-pack.js";

let serial = 1 << 30;

/** `readings` as rows (columns of their own, a new serial). */
export function rowsOf(readings: readonly Reading[]): ChannelColumns {
  const rows = new ChannelColumns(++serial);
  for (const reading of readings) rows.push(reading);
  return rows;
}

/** The rows as `Reading` objects again (a copy: rows are views, valid only while their owner keeps them). */
export function readingsOf(rows: ReadingRows): Reading[] {
  const out: Reading[] = [];
  for (let i = 0; i < rows.length; i++) {
    const meta = rows.meta(i);
    const reading = { channel: meta.channel, unit: meta.unit, at: rows.time(i), quality: meta.quality } as Reading & { value?: number; reason?: string; tolerance?: number };
    if (meta.quality !== "bad") reading.value = rows.value(i);
    if (meta.reason !== undefined) reading.reason = meta.reason;
    if (meta.tolerance !== undefined) reading.tolerance = meta.tolerance;
    out.push(reading);
  }
  return out;
}

/** `encodeTelemetryPack` of an array of readings. */
export function encodePack(header: PackHeader, readings: readonly Reading[]): Uint8Array {
  return encodeTelemetryPack(header, rowsOf(readings));
}
