import type { ChannelConfig } from "../config/node-config.js";
import type { IOProvider } from "../platform.js";
import SHT3x from "./drivers/sht3x.js";

/** A sensor as a channel sees it: one sample gives all its quantities. */
export interface Sensor {
  /** Quantities by name (e.g. temperature, humidity); a missing one is a fault. */
  sample(): Record<string, number> | undefined;
  close(): void;
}

/** What a sensor type offers: its quantities with default units, and a factory. */
export interface SensorType {
  measures: Record<string, { unit: string }>;
  /** Opens the sensor; `onError` gets I/O faults instead of exceptions. */
  open(io: IOProvider, config: ChannelConfig, onError: (message: string) => void): Sensor;
}

/** Sensor types by config name. */
export const SENSOR_TYPES: Record<string, SensorType> = {
  sht3x: {
    measures: { temperature: { unit: "Cel" }, humidity: { unit: "%RH" } },
    open(io, config, onError) {
      const driver = new SHT3x({
        sensor: { io: io.I2C, ...io.i2cDefault, address: config.address ?? 0x44 },
        onError,
      });
      return {
        sample() {
          const sample = driver.sample();
          if (!sample) return undefined;
          const values: Record<string, number> = {};
          if (sample.thermometer) values.temperature = sample.thermometer.temperature;
          if (sample.hygrometer) values.humidity = sample.hygrometer.humidity;
          return values;
        },
        close: () => driver.close(),
      };
    },
  },
};
