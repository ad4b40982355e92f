import type { QualityReason } from "./quality.js";

/**
 * One value of one channel, stamped when it was taken, with its quality. A
 * `bad` reading carries no number (design.md: a bad value is never reported
 * as one); `good` and `uncertain` ones do, `uncertain` with its reason.
 */
export type Reading = {
  channel: string;
  unit: string;
  /** Monotonic ms when sampled. */
  at: number;
  /**
   * How far telemetry may move the value to encode it shorter (set on
   * compress points: modules/edge/reported-compress.ts); absent: the value
   * is reported to six significant digits.
   */
  tolerance?: number;
} & (
  | { quality: "good"; value: number; reason?: undefined }
  | { quality: "uncertain"; value: number; reason: QualityReason }
  | { quality: "bad"; value?: undefined; reason: QualityReason }
);

/** A channel's quality changed (the node turns it into an `.../evt` event). */
export interface QualityChange {
  channel: string;
  /** Undefined at the first reading. */
  from?: Reading["quality"];
  to: Reading["quality"];
  reason?: QualityReason;
  /** What the driver said (outside text: escape before a terminal). */
  message?: string;
  at: number;
}

/** A good reading of `value`. */
export function goodReading(channel: string, unit: string, value: number, at: number): Reading {
  return { channel, unit, at, quality: "good", value };
}

/** A bad reading: no value, a reason. */
export function badReading(channel: string, unit: string, reason: QualityReason, at: number): Reading {
  return { channel, unit, at, quality: "bad", reason };
}

/** `quality` or `quality:reason`, as status, telemetry (`_q.<channel>`) and events show it. */
export function qualityText(reading: { quality: Reading["quality"]; reason?: QualityReason }): string {
  return reading.reason ? `${reading.quality}:${reading.reason}` : reading.quality;
}

/** An event's detail for a quality change: `temp: good -> bad:nack (i2c: NACK)`. */
export function describeQualityChange(change: QualityChange): string {
  return `${change.channel}: ${change.from ?? "-"} -> ${qualityText({ quality: change.to, reason: change.reason })}${change.message ? ` (${change.message})` : ""}`;
}
