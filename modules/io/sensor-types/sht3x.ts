import SHT3x, { SHT3X_ADDRESS } from "../drivers/sht3x.js";
import { defineSensorType, fieldOf, type SensorType } from "../sensor-type.js";
import { DriverSensor } from "./driver-sensor.js";

/** The driver's sample as the type's values (the chip's two quantities). */
function sht3xValues(sample: ReturnType<SHT3x["sample"]>): Record<string, number> | undefined {
  if (!sample) return undefined;
  const values: Record<string, number> = {};
  if (sample.thermometer) values.temperature = sample.thermometer.temperature;
  if (sample.hygrometer) values.humidity = sample.hygrometer.humidity;
  return values;
}

/**
 * Sensirion SHT3x (SHT30/31/35) on I2C: temperature and humidity. Address
 * 0x44 (ADDR low) or 0x45 (ADDR high), datasheet section 3.5. Resolution:
 * one step of the 16-bit word (175/65535 °C, 100/65535 %RH); accuracy of the
 * worst family member, SHT30 (tables 1 and 2).
 */
export const sht3x: SensorType = defineSensorType({
  name: "sht3x",
  help: "Sensirion SHT3x temperature and humidity (I2C)",
  quantities: {
    temperature: { unit: "Cel", resolution: 175 / 65535, accuracy: 0.3 },
    humidity: { unit: "%RH", resolution: 100 / 65535, accuracy: 3 },
  },
  fields: {
    address: { type: "int", default: SHT3X_ADDRESS, min: SHT3X_ADDRESS, max: SHT3X_ADDRESS + 1, hex: true, help: "I2C address (7-bit): 0x44 ADDR low, 0x45 ADDR high", restart: true },
  },
  chip: ["address"],
  open(context) {
    const driver = new SHT3x({
      sensor: { io: context.io.I2C, ...context.io.i2cDefault, address: Number(fieldOf(context.config, sht3x, "address")) },
      timers: context.timers,
      onError: (message, reason) => context.onError(message, reason),
    });
    return new DriverSensor(driver, sht3xValues, undefined);
  },
});
