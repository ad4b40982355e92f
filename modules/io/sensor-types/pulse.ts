import { counterKey } from "../counter-store.js";
import PulseCounter from "../drivers/pulse-counter.js";
import { defineSensorType, fieldOf, type SensorType } from "../sensor-type.js";
import { DriverSensor } from "./driver-sensor.js";

/** The driver's sample as the type's values. */
function pulseValues({ total, flow, count, rate }: ReturnType<PulseCounter["sample"]>) {
  return { total, flow, count, rate };
}

/**
 * A pulse meter (water, gas, energy): the totaliser in units
 * (`count / pulses_per_unit`), the flow (units per second over `window_s`),
 * and the raw count and pulse rate. Counted by the ESP32's PCNT (ECMA-419
 * PulseCount; its 16-bit wrap is handled) or, where there is none, on a
 * polled digital input (meters up to about 50 Hz). The count is kept in
 * flash across reboots (io/counter-store.ts: keyed by the pin, at most one
 * write a minute).
 */
export const pulse: SensorType = defineSensorType({
  name: "pulse",
  help: "pulse meter (flow, energy): totaliser, flow, count, rate",
  quantities: {
    total: { unit: "m3", resolution: 0.001, anyUnit: true },
    flow: { unit: "m3/s", resolution: 1e-6, anyUnit: true },
    count: { unit: "count", resolution: 1 },
    rate: { unit: "/s", resolution: 0.01 },
  },
  fields: {
    pin: { type: "int", default: 14, min: 0, max: 48, help: "GPIO of the meter's pulse output", restart: true },
    pulses_per_unit: { type: "decimal", default: 1000, min: 1e-6, max: 1e9, help: "pulses per unit of the totaliser (e.g. 1000 per m3: 1 pulse a litre)", restart: true },
    window_s: { type: "int", default: 10, min: 1, max: 3600, unit: "s", help: "the flow is averaged over this window", restart: true },
    debounce_ms: { type: "int", default: 0, min: 0, max: 1000, unit: "ms", help: "without a hardware counter: a level must hold this long to count", restart: true },
  },
  chip: ["pin"],
  pins: ["pin"],
  open(context) {
    const pin = Number(fieldOf(context.config, pulse, "pin"));
    const driver = new PulseCounter({
      sensor: { io: context.io.PulseCount, digital: context.io.Digital, signal: pin },
      now: () => context.clock.monotonic(),
      timers: context.timers,
      storage: context.storage,
      key: counterKey("p", String(pin)),
      onError: (message) => context.onError(message, "sensor_fault"),
    });
    try {
      driver.configure({
        pulsesPerUnit: Number(fieldOf(context.config, pulse, "pulses_per_unit")),
        windowMs: Number(fieldOf(context.config, pulse, "window_s")) * 1000,
        debounceMs: Number(fieldOf(context.config, pulse, "debounce_ms")),
      });
    } catch (error) {
      driver.close();
      throw error;
    }
    return new DriverSensor(driver, pulseValues, undefined);
  },
});
