/**
 * What one config key accepts and how it behaves. Shared by the global keys
 * (config/schema.ts) and the per-type channel fields that each sensor type
 * declares (io/sensor-types/*.ts).
 */
import type { Pattern } from "../util/pattern.js";

/** A stored config value. */
export type Value = string | number | boolean;

/** What one key accepts and how it behaves. */
export interface KeySpec {
  /**
   * `int`: an integer (decimal or 0x hex); `decimal`: a finite number such as
   * a scale, an offset or a threshold (written 12.5, -0.25, 1e-3); `enum`:
   * one of `values`; `string`; `bool`.
   */
  readonly type: "string" | "int" | "decimal" | "bool" | "enum";
  /** Default value; `undefined` means "not set" (an optional key). */
  readonly default?: Value;
  /** Bounds of `int` and `decimal` (inclusive). */
  readonly min?: number;
  readonly max?: number;
  /** Allowed values of an enum. */
  readonly values?: readonly string[];
  /** For strings: a pattern the whole value must match, and what it means in words. */
  readonly pattern?: Pattern;
  readonly patternHelp?: string;
  /** For strings: most UTF-8 bytes. */
  readonly maxBytes?: number;
  /** For strings: a rule of their own (a filter chain's syntax); returns the reason a value breaks it, shown after the key. */
  readonly check?: (value: string) => string | undefined;
  readonly unit?: string;
  readonly help: string;
  /** Never printed, exported (without --with-secrets), logged or published. */
  readonly secret?: boolean;
  /**
   * Takes effect only after a restart. A key without it is live: it takes
   * effect at `save` (or a remote `set`) through `ConfigService.watch`.
   */
  readonly restart?: boolean;
  /** May be set over MQTT (ConfigService.applyRemote). */
  readonly remote?: boolean;
  /**
   * A broker or credential key: over MQTT only while the technician has set
   * `mqtt.remote_admin` true at the console (refused with `not_allowed`
   * otherwise); such a change is tried with a fallback (broker-fallback.ts).
   */
  readonly admin?: boolean;
  /** Shown in hexadecimal, as datasheets give it (I2C addresses). */
  readonly hex?: boolean;
}
