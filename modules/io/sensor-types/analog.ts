import AnalogTransmitter from "../drivers/analog-transmitter.js";
import { defineSensorType, fieldOf, type SensorType } from "../sensor-type.js";
import { DriverSensor } from "./driver-sensor.js";
import { checkTransmitter, scalingOf, TRANSMITTER_QUANTITIES, transmitterFields, transmitterSample } from "./transmitter-fields.js";

/**
 * A 4-20 mA or 0-10 V transmitter on an ESP32 ADC pin (ECMA-419 Analog):
 * scaled to `range_low`..`range_high`, graded by NAMUR NE 43
 * (drivers/transmitter-scaling.ts). The shunt defaults to 150 ohm so that
 * 21 mA (3.15 V) stays below the ADC's 3.3 V; `save` refuses a shunt or
 * divider that would put 21 mA or 10.5 V above `vref`.
 */
export const analog: SensorType = defineSensorType({
  name: "analog",
  help: "4-20 mA / 0-10 V transmitter on an ESP32 ADC pin",
  quantities: TRANSMITTER_QUANTITIES,
  fields: {
    pin: { type: "int", default: 34, min: 0, max: 48, help: "ADC pin (GPIO 32-39 on ADC1 of the ESP32)", restart: true },
    ...transmitterFields(150),
    vref: { type: "decimal", default: 3.3, min: 0.5, max: 5, unit: "V", help: "volts at the ADC's full-scale count", restart: true },
  },
  chip: ["pin"],
  pins: ["pin"],
  check(channel, problems) {
    checkTransmitter(channel, problems, Number(channel.get("vref") ?? 3.3), "ADC's vref");
  },
  open(context) {
    const driver = new AnalogTransmitter({
      sensor: { io: context.io.Analog, pin: Number(fieldOf(context.config, analog, "pin")) },
      onError: (message) => context.onError(message, "sensor_fault"),
    });
    const scaling = scalingOf(context.config, analog);
    try {
      driver.configure({ ...scaling, vref: Number(fieldOf(context.config, analog, "vref")) });
    } catch (error) {
      driver.close();
      throw error;
    }
    return new DriverSensor(driver, transmitterSample, scaling);
  },
});
