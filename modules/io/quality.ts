/**
 * Quality of a value, from the driver to the wire (design.md): `good`,
 * `uncertain` (a number, but not to be trusted for control: out of the
 * sensor's range, an input of a computed channel is uncertain) or `bad` (no
 * number at all). A non-good quality always carries a reason.
 */
export type Quality = "good" | "uncertain" | "bad";

/**
 * Why a value is not good. I/O: `crc` (checksum failed), `nack` (the chip did
 * not acknowledge: absent, unpowered, wrong address), `timeout`, `no_io`
 * (this build has no such bus: a board without the IO, see hosts/esp32).
 * Signal: `open_loop` (4-20 mA loop or thermocouple broken), `short`,
 * `short_gnd` / `short_vcc` (a thermocouple shorted to ground or supply), `under_range`,
 * `over_range`, `sensor_fault` (the chip reports a fault, or an impossible
 * value). Time: `stale` (an input of a computed channel is too old),
 * `not_ready` (no conversion yet after open). `input`: a computed channel's
 * input is bad.
 */
export type QualityReason =
  | "crc"
  | "nack"
  | "timeout"
  | "no_io"
  | "open_loop"
  | "short"
  | "short_gnd"
  | "short_vcc"
  | "under_range"
  | "over_range"
  | "sensor_fault"
  | "stale"
  | "not_ready"
  | "input"
  | ModbusReason;

/**
 * Modbus (io/modbus/response.ts): an answer refused (`wrong_unit`,
 * `wrong_function`, `short_frame`, `bad_frame`), the master's queue full
 * (`busy`), or the slave's exception code n (`exception_<n>`).
 */
export type ModbusReason =
  | "wrong_unit" | "wrong_function" | "short_frame" | "bad_frame" | "busy"
  | "exception_1" | "exception_2" | "exception_3" | "exception_4" | "exception_5"
  | "exception_6" | "exception_8" | "exception_10" | "exception_11";

/** Every reason, in the order above (for validation of what a driver reports). */
export const QUALITY_REASONS: readonly QualityReason[] = Object.freeze([
  "crc", "nack", "timeout", "no_io", "open_loop", "short", "short_gnd", "short_vcc", "under_range", "over_range", "sensor_fault", "stale", "not_ready", "input",
  "wrong_unit", "wrong_function", "short_frame", "bad_frame", "busy",
  "exception_1", "exception_2", "exception_3", "exception_4", "exception_5", "exception_6", "exception_8", "exception_10", "exception_11",
]);

/**
 * A value as a driver delivers it (the shape of a sensor type's
 * `Measurement`): `value` is absent exactly when quality is `bad`, and a
 * reason is present unless quality is `good`.
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

const RANK: Readonly<Record<Quality, number>> = Object.freeze({ good: 0, uncertain: 1, bad: 2 });

/** The worse of two qualities (bad > uncertain > good). */
export function worstQuality(a: Quality, b: Quality): Quality {
  return RANK[a] >= RANK[b] ? a : b;
}

/** The reason for an I/O error's message: a NACK, a timeout, a CRC, else a sensor fault. Never throws. */
export function reasonOfError(error: unknown): QualityReason {
  const own = (error as { reason?: unknown } | null)?.reason;
  if (typeof own === "string" && (QUALITY_REASONS as readonly string[]).includes(own)) return own as QualityReason;
  const message = String((error as { message?: unknown } | null)?.message ?? error).toLowerCase();
  if (message.includes("nack")) return "nack";
  if (message.includes("timeout") || message.includes("timed out")) return "timeout";
  if (message.includes("crc")) return "crc";
  return "sensor_fault";
}
