import Probe from "../drivers/probe.js";
import { defineSensorType, fieldOf, type SensorType } from "../sensor-type.js";

/**
 * The simulator's probe (modules/io/models/probe-model.ts): a chip that only
 * simulated boards have, giving one exact value (a float64) per sample, for
 * machine quantities no modelled chip measures and for CSV replay. On a real
 * board nothing answers at its address: the channel is bad (nack). Its value
 * has no unit of its own: the channel reports without one unless
 * `ch.<name>.unit` is set. A replay paces it: the channel samples each row
 * when it is due (Sensor.nextSampleIn), not on its interval.
 */
export const probe: SensorType = defineSensorType({
  name: "probe",
  help: "the simulator's probe: one exact value (simulated boards only)",
  quantities: { value: { unit: "", resolution: 0, anyUnit: true } },
  fields: {
    address: { type: "int", default: 0x10, min: 0x08, max: 0x77, hex: true, help: "I2C address of the simulated probe", restart: true },
  },
  chip: ["address"],
  open(context) {
    const driver = new Probe({
      sensor: { io: context.io.I2C, ...context.io.i2cDefault, address: Number(fieldOf(context.config, probe, "address")) },
      onError: (message) => context.onError(message, message.startsWith("i2c") ? "nack" : "crc"),
    });
    let next: number | "end" | undefined;
    return {
      sample() {
        const sample = driver.sample();
        if (!sample) return undefined;
        next = sample.end ? "end" : sample.nextInMs;
        return { value: sample.value };
      },
      nextSampleIn: () => next,
      close: () => driver.close(),
    };
  },
});
