/**
 * The sensor types this firmware knows, by config name: one line per type,
 * each a descriptor from modules/io/sensor-types/ (see io/sensor-type.ts for
 * the descriptor's shape and how to add one). The config schema, the
 * channels and the birth all read this table; nothing else lists chips.
 */
import type { SensorType } from "./sensor-type.js";
import { bme280 } from "./sensor-types/bme280.js";
import { ads1115 } from "./sensor-types/ads1115.js";
import { analog } from "./sensor-types/analog.js";
import { computed } from "./sensor-types/computed.js";
import { digital } from "./sensor-types/digital.js";
import { max31855 } from "./sensor-types/max31855.js";
import { modbus } from "./sensor-types/modbus.js";
import { pulse } from "./sensor-types/pulse.js";
import { probe } from "./sensor-types/probe.js";
import { sht3x } from "./sensor-types/sht3x.js";

export type { Sensor, SensorType } from "./sensor-type.js";

/** Sensor types by config name, in the order `help` and the schema list them. */
export const SENSOR_TYPES: Readonly<Record<string, SensorType>> = Object.freeze({
  sht3x,
  bme280,
  analog,
  ads1115,
  max31855,
  digital,
  pulse,
  computed,
  probe,
  modbus,
});

/** The descriptor of `name`, or undefined for an unknown type. */
export function sensorType(name: string): SensorType | undefined {
  return Object.prototype.hasOwnProperty.call(SENSOR_TYPES, name) ? SENSOR_TYPES[name] : undefined;
}
