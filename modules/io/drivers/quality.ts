/**
 * Quality of one driver value (issue 8 item 3): `good`, `uncertain` (a value,
 * but outside the trusted range) or `bad` (no value at all). The reason says
 * why, in the words the node reports: `nack`, `timeout`, `not_ready`, `open_loop`,
 * `under_range`, `over_range`, `short`, `short_gnd`, `short_vcc`,
 * `sensor_fault`.
 */
export type Quality = "good" | "uncertain" | "bad";

/** A value as a driver delivers it: `value` is absent exactly when quality is `bad`. */
export interface QualifiedValue {
  value?: number;
  quality: Quality;
  /** Present unless quality is `good`. */
  reason?: string;
}

/** A bad value with its reason (never a number). */
export function bad(reason: string): QualifiedValue {
  return { quality: "bad", reason };
}
