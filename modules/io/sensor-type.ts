/**
 * The shape of one sensor type: everything the firmware knows about it, in
 * one descriptor (modules/io/sensor-types/<type>.ts), registered with one
 * line in modules/io/sensor-registry.ts. The config schema builds the
 * `ch.<name>.*` keys and the `type`/`measure` enums from the registry, the
 * channels open sensors through it, and the birth reports its accuracy.
 *
 * Adding a type:
 *
 * ```ts
 * // modules/io/sensor-types/ads1115.ts
 * export const ads1115: SensorType = Object.freeze({
 *   name: "ads1115",
 *   help: "TI ADS1115 16-bit I2C ADC (4-20 mA / 0-10 V transmitters)",
 *   quantities: { current: { unit: "A", resolution: 1e-6 } },    // first = default measure
 *   fields: { address: { type: "int", default: 0x48, min: 0x48, max: 0x4b, hex: true, help: "I2C address", restart: true },
 *             range_low: { type: "decimal", help: "value at 4 mA", restart: true } },
 *   chip: ["address"],                                           // channels agreeing on these share one sensor
 *   check(channel, problems) { ... },                            // cross-field rules at save
 *   open(context) { return new ...; },                           // a Sensor
 * });
 * // modules/io/sensor-registry.ts: add `ads1115,` to SENSOR_TYPES.
 * ```
 *
 * and list both new files in manifest.json's preload. A field name shared by
 * several types (address, pin) may have different bounds and defaults per
 * type: the schema accepts the union, `save` checks each channel against its
 * own type's spec.
 */
import type { KeySpec, Value } from "../config/key-spec.js";
import type { ChannelConfig } from "../config/node-config.js";
import type { Clock, IOProvider, Storage, Timers } from "../platform.js";
import type { Quality, QualityReason } from "./quality.js";

/** A quantity a type measures: its SenML unit (RFC 8428 §12.1), resolution (one step, in that unit) and typical accuracy (±). */
export interface Quantity {
  /** The default unit; with `anyUnit`, only a default. */
  readonly unit: string;
  /**
   * The value is in engineering units the channel chooses (a transmitter's
   * range_low..range_high, a meter's pulses_per_unit): any `ch.<name>.unit`
   * is right for it, no scale needed.
   */
  readonly anyUnit?: boolean;
  readonly resolution: number;
  readonly accuracy?: number;
}

/** One quantity of one sample when it is not simply a good number. A `bad` one has no value. */
export interface Measurement {
  readonly value?: number;
  readonly quality: Quality;
  /** A QualityReason (quality.ts); anything else is reported as `sensor_fault`. Text, so drivers' own value types fit. */
  readonly reason?: QualityReason | string;
}

/**
 * An open sensor as a channel sees it (the ECMA-419 Sensor Class Pattern
 * behind it). `sample()` never throws and never blocks: it returns the
 * quantities it has (a number is good; a Measurement says otherwise), or
 * `undefined` when the chip did not answer; faults go to the context's
 * `onError`. A quantity left out is bad with the reason of the last fault.
 */
export interface Sensor {
  sample(): Readonly<Record<string, number | Measurement>> | undefined;
  /** Releases the bus or pins; never throws. */
  close(): void;
  /**
   * A sensor that paces itself (the simulator's replay): ms from its latest
   * sample to its next value, or "end" when none follows; its channel then
   * samples when the value is due instead of on its interval. Absent or
   * undefined: the channel's interval.
   */
  nextSampleIn?(): number | "end" | undefined;
}

/** What `SensorType.open` gets: the port's IO, timers and clock, the channel's config, and the error path. */
export interface OpenContext {
  readonly io: IOProvider;
  readonly timers: Timers;
  readonly clock: Clock;
  /** Flash, for types that keep counts across reboots (keys: see platform.ts limits). */
  readonly storage?: Storage;
  readonly config: ChannelConfig;
  /** Faults instead of exceptions: a message (escaped before logging) and the quality reason. */
  onError(message: string, reason?: QualityReason): void;
}

/** The view of one channel's raw config that `check` gets: its name and field getter. */
export interface ChannelView {
  readonly name: string;
  get(field: string): Value | undefined;
  /** Every configured channel name, for types that refer to others (computed). */
  readonly channels: readonly string[];
  /** Another channel's field, e.g. `(other, "type")`. */
  other(name: string, field: string): Value | undefined;
}

/** One sensor type. Frozen; see the module comment for how to add one. */
export interface SensorType {
  /** Config name: the value of `ch.<name>.type`, [a-z][a-z0-9_]*. */
  readonly name: string;
  /** One line for `help` and the schema. */
  readonly help: string;
  /** Quantities by name; the first is the default `measure`, its unit the default `unit`. */
  readonly quantities: Readonly<Record<string, Quantity>>;
  /** The type's own fields `ch.<name>.<field>`, besides the common type, measure, interval, unit, scale, offset. */
  readonly fields: Readonly<Record<string, KeySpec>>;
  /** Default sampling interval, ms (else the common default, 1000). */
  readonly interval?: number;
  /** Fields that name one chip: channels of this type that agree on them share one open sensor. */
  readonly chip: readonly string[];
  /** Fields holding a GPIO number: `save` refuses one pin used twice. */
  readonly pins?: readonly string[];
  /** `computed`: no sensor; the value comes from other channels (io/computed-channel.ts). */
  readonly computed?: boolean;
  /** Cross-field rules at save; pushes one message per broken rule, naming the key and the value. */
  check?(channel: ChannelView, problems: string[]): void;
  /** Opens the sensor. May throw (a NACK at open): the channel counts it, reports bad quality and retries with backoff. */
  open(context: OpenContext): Sensor;
}

/** A type's own field of a channel: as configured, else the type's default. */
export function fieldOf(config: ChannelConfig, type: SensorType, field: string): Value | undefined {
  return config.fields?.[field] ?? (config as unknown as Record<string, Value | undefined>)[field] ?? type.fields[field]?.default;
}

/** Freezes a descriptor with its tables (so a typo in a table cannot be patched at run time) and returns it typed. */
export function defineSensorType(type: SensorType): SensorType {
  for (const table of [type.quantities, type.fields]) {
    for (const entry of Object.values(table)) Object.freeze(entry);
    Object.freeze(table);
  }
  Object.freeze(type.chip);
  if (type.pins) Object.freeze(type.pins);
  return Object.freeze(type);
}
