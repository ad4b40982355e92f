/**
 * The sensor types this firmware knows, by config name: one line per type,
 * each a descriptor from modules/io/sensor-types/ (see io/sensor-type.ts for
 * the descriptor's shape and how to add one). The config schema, the
 * channels and the birth all read this table; nothing else lists chips.
 */
import type { SensorType } from "./sensor-type.js";
import { bme280 } from "./sensor-types/bme280.js";
import { computed } from "./sensor-types/computed.js";
import { sht3x } from "./sensor-types/sht3x.js";

export type { Sensor, SensorType } from "./sensor-type.js";

/** Sensor types by config name, in the order `help` and the schema list them. */
export const SENSOR_TYPES: Readonly<Record<string, SensorType>> = Object.freeze({
  sht3x,
  bme280,
  computed,
});

/** The descriptor of `name`, or undefined for an unknown type. */
export function sensorType(name: string): SensorType | undefined {
  return Object.prototype.hasOwnProperty.call(SENSOR_TYPES, name) ? SENSOR_TYPES[name] : undefined;
}
