import BME280, { BME280_ADDRESS } from "../drivers/bme280.js";
import { defineSensorType, fieldOf, type SensorType } from "../sensor-type.js";
import { DriverSensor } from "./driver-sensor.js";

/** The driver's sample as the type's values (the chip's three quantities). */
function bme280Values(sample: ReturnType<BME280["sample"]>): Record<string, number> | undefined {
  if (!sample) return undefined;
  const values: Record<string, number> = {};
  if (sample.thermometer) values.temperature = sample.thermometer.temperature;
  if (sample.barometer) values.pressure = sample.barometer.pressure;
  if (sample.hygrometer) values.humidity = sample.hygrometer.humidity;
  return values;
}

/**
 * Bosch BME280 on I2C: temperature, pressure, humidity. Address 0x76 (SDO to
 * GND) or 0x77 (datasheet section 6.2). Resolution: that of the integer
 * compensation output (0.01 °C, 1/256 Pa, 1/1024 %RH); accuracy from table
 * 1-3 (±1 °C, ±100 Pa absolute, ±3 %RH).
 */
export const bme280: SensorType = defineSensorType({
  name: "bme280",
  help: "Bosch BME280 temperature, pressure and humidity (I2C)",
  quantities: {
    temperature: { unit: "Cel", resolution: 0.01, accuracy: 1 },
    pressure: { unit: "Pa", resolution: 1 / 256, accuracy: 100 },
    humidity: { unit: "%RH", resolution: 1 / 1024, accuracy: 3 },
  },
  fields: {
    address: { type: "int", default: BME280_ADDRESS, min: BME280_ADDRESS, max: BME280_ADDRESS + 1, hex: true, help: "I2C address (7-bit): 0x76 SDO to GND, 0x77 SDO to VDDIO", restart: true },
  },
  chip: ["address"],
  open(context) {
    const driver = new BME280({
      sensor: { io: context.io.I2C, ...context.io.i2cDefault, address: Number(fieldOf(context.config, bme280, "address")) },
      onError: (message, reason) => context.onError(message, reason),
    });
    return new DriverSensor(driver, bme280Values, undefined);
  },
});
