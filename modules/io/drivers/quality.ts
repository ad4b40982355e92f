import type { Quality, QualityReason } from "../quality.js";

export type { Quality, QualityReason };

/**
 * A value as a driver delivers it (the shape of a sensor type's
 * `Measurement`): `value` is absent exactly when quality is `bad`, and a
 * reason (io/quality.ts) is present unless quality is `good`.
 */
export interface QualifiedValue {
  value?: number;
  quality: Quality;
  reason?: QualityReason;
}

/** A bad value with its reason (never a number). */
export function bad(reason: QualityReason): QualifiedValue {
  return { quality: "bad", reason };
}
