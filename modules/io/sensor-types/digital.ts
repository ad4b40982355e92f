import type { DigitalOptions } from "../../platform.js";
import { counterKey } from "../counter-store.js";
import DigitalInput from "../drivers/digital-input.js";
import { defineSensorType, fieldOf, type SensorType } from "../sensor-type.js";
import { DriverSensor } from "./driver-sensor.js";

/** The driver's sample as the type's values; SenML has no hour among its units (RFC 8428 12.1; RFC 8798's "h" is a secondary unit, not for "u"): seconds. */
function digitalValues({ state, transitions, hours }: ReturnType<DigitalInput["sample"]>) {
  return { state, transitions, on_time: hours.value === undefined ? hours : { value: hours.value * 3600, quality: hours.quality } };
}

const MODES: Readonly<Record<string, Exclude<DigitalOptions["mode"], "output">>> = Object.freeze({ up: "inputPullUp", down: "inputPullDown", none: "input" });

/**
 * A contact or logic input (ECMA-419 Digital): the debounced state (1
 * active, SenML unit "/": a switch), the transitions and the on-time
 * (running hours, reported in seconds), both kept in flash across
 * reboots (io/counter-store.ts: keyed by the pin, at most one write a
 * minute). A contact to GND with the pull-up reads 0 when closed: set
 * `invert` true so that closed is 1.
 */
export const digital: SensorType = defineSensorType({
  name: "digital",
  help: "contact or logic input: state, transitions, on-time (running hours, in s)",
  quantities: {
    state: { unit: "/", resolution: 1 },
    transitions: { unit: "count", resolution: 1 },
    on_time: { unit: "s", resolution: 0.01 },
  },
  fields: {
    pin: { type: "int", default: 27, min: 0, max: 48, help: "GPIO of the input", restart: true },
    pull: { type: "enum", values: ["up", "down", "none"], default: "up", help: "internal pull resistor", restart: true },
    invert: { type: "bool", default: false, help: "active low: the state is 1 when the pin reads 0", restart: true },
    debounce_ms: { type: "int", default: 50, min: 0, max: 10_000, unit: "ms", help: "a change counts once it has held this long", restart: true },
  },
  chip: ["pin"],
  pins: ["pin"],
  open(context) {
    const pin = Number(fieldOf(context.config, digital, "pin"));
    const driver = new DigitalInput({
      sensor: { io: context.io.Digital, pin, mode: MODES[String(fieldOf(context.config, digital, "pull"))] ?? "inputPullUp" },
      now: () => context.clock.monotonic(),
      timers: context.timers,
      storage: context.storage,
      key: counterKey("d", String(pin)),
      onError: (message) => context.onError(message, "sensor_fault"),
    });
    try {
      driver.configure({ invert: fieldOf(context.config, digital, "invert") === true, debounceMs: Number(fieldOf(context.config, digital, "debounce_ms")) });
    } catch (error) {
      driver.close();
      throw error;
    }
    return new DriverSensor(driver, digitalValues, undefined);
  },
});
