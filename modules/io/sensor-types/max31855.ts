import MAX31855 from "../drivers/max31855.js";
import { defineSensorType, fieldOf, type SensorType } from "../sensor-type.js";
import { DriverSensor } from "./driver-sensor.js";

/** The driver's sample as the type's values. */
function max31855Values({ thermocouple, internal }: ReturnType<MAX31855["sample"]>) {
  return { temperature: thermocouple, internal };
}

/**
 * Maxim MAX31855 thermocouple amplifier on SPI (K type: -200..1350 °C,
 * 0.25 °C steps, ±2 °C): the probe's temperature and the chip's own. Its
 * fault bits give bad quality: `open_loop` (OC), `short_gnd` (SCG),
 * `short_vcc` (SCV). A board without ECMA-419 SPI gives `no_io`.
 */
export const max31855: SensorType = defineSensorType({
  name: "max31855",
  help: "Maxim MAX31855 thermocouple amplifier (SPI)",
  quantities: {
    temperature: { unit: "Cel", resolution: 0.25, accuracy: 2 },
    internal: { unit: "Cel", resolution: 0.0625, accuracy: 2 },
  },
  fields: {
    select: { type: "int", default: 5, min: 0, max: 48, help: "chip-select pin (CS)", restart: true },
    sck: { type: "int", default: 18, min: 0, max: 48, help: "SPI clock pin (SCK), shared by the chips on the bus", restart: true },
    miso: { type: "int", default: 19, min: 0, max: 48, help: "SPI data pin (MISO, the chip's SO), shared by the chips on the bus", restart: true },
  },
  chip: ["select"],
  pins: ["select"],
  open(context) {
    const SPI = context.io.SPI;
    if (!SPI) throw Object.assign(new Error("this board has no SPI"), { reason: "no_io" });
    const field = (name: string) => Number(fieldOf(context.config, max31855, name));
    const driver = new MAX31855({
      sensor: { io: SPI, select: field("select"), clock: field("sck"), in: field("miso") },
      onError: (message) => context.onError(message, "nack"),
    });
    return new DriverSensor(driver, max31855Values, undefined);
  },
});
