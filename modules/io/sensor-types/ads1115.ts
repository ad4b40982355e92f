import ADS1115, { ADS1115_FSR } from "../drivers/ads1115.js";
import { scaleTransmitter } from "../drivers/transmitter-scaling.js";
import type { I2CBus, I2COptions } from "../../platform.js";
import { defineSensorType, fieldOf, type OpenContext, type SensorType } from "../sensor-type.js";
import { checkTransmitter, scalingOf, TRANSMITTER_QUANTITIES, transmitterFields, transmitterSample } from "./transmitter-fields.js";

/** One open ADS1115 chip and the inputs its channels use (input -> full scale it needs, volts). */
interface SharedChip {
  driver: ADS1115;
  inputs: Map<number, number>;
}

/**
 * Open chips by I2C class and address: the channels on the inputs of one
 * ADS1115 share one driver, which converts their inputs in turn (two
 * drivers at one address would overwrite each other's conversions).
 */
/** Made at run time: a WeakMap made while preloading is in flash and read-only on the board. */
let chips: WeakMap<object, Map<number, SharedChip>> | undefined;

/** The smallest PGA range that holds every input's largest signal (21 mA or 10.5 V); ±6.144 V at most. */
function fullScaleFor(needs: Iterable<number>): number {
  const need = Math.max(0, ...needs);
  return [...ADS1115_FSR].reverse().find((fsr) => fsr >= need) ?? ADS1115_FSR[0];
}

/**
 * 4-20 mA / 0-10 V transmitters on a TI ADS1115 16-bit I2C ADC (SBAS444),
 * one channel per input AIN0..AIN3 against GND: scaled, graded by NAMUR
 * NE 43. The PGA range is chosen per chip from its channels' shunts and
 * dividers (the smallest that holds 21 mA or 10.5 V); `save` refuses a
 * wiring whose 21 mA would exceed 6.144 V. Conversions are single-shot and
 * never waited for: each sample reads the one started before (drivers/ads1115.ts).
 */
export const ads1115: SensorType = defineSensorType({
  name: "ads1115",
  help: "4-20 mA / 0-10 V transmitter on a TI ADS1115 I2C ADC input",
  quantities: TRANSMITTER_QUANTITIES,
  fields: {
    address: { type: "int", default: 0x48, min: 0x48, max: 0x4b, hex: true, help: "I2C address (7-bit): 0x48 ADDR to GND, 0x49 VDD, 0x4A SDA, 0x4B SCL", restart: true },
    input: { type: "int", default: 0, min: 0, max: 3, help: "analog input AIN0..AIN3 (against GND)", restart: true },
    ...transmitterFields(250),
  },
  chip: ["address", "input"],
  check(channel, problems) {
    checkTransmitter(channel, problems, ADS1115_FSR[0], "ADS1115's largest range");
  },
  open(context) {
    const scaling = scalingOf(context.config, ads1115);
    const input = Number(fieldOf(context.config, ads1115, "input"));
    const address = Number(fieldOf(context.config, ads1115, "address"));
    const need = scaling.signal === "4-20mA" ? (21 * scaling.shunt) / 1000 / scaling.divider : 10.5 / scaling.divider;
    const chip = join(context, address, input, need);
    let closed = false;
    return {
      sample: () => transmitterSample(sampleInput(chip, input, scaling), scaling),
      close() {
        if (closed) return;
        closed = true;
        leave(context.io.I2C, address, chip, input);
      },
    };
  },
});

function sampleInput(chip: SharedChip, input: number, scaling: ReturnType<typeof scalingOf>) {
  const volts = chip.driver.sample().ain[input];
  if (!volts || volts.quality !== "good" || volts.value === undefined) return volts ?? { quality: "bad" as const, reason: "not_ready" as const };
  return scaleTransmitter(volts.value, scaling);
}

function join(context: OpenContext, address: number, input: number, need: number): SharedChip {
  const io = context.io.I2C as new (options: I2COptions) => I2CBus;
  chips ??= new WeakMap();
  let byAddress = chips.get(io);
  if (!byAddress) chips.set(io, (byAddress = new Map()));
  let chip = byAddress.get(address);
  if (!chip) {
    const driver = new ADS1115({
      sensor: { io, ...context.io.i2cDefault, address },
      now: () => context.clock.monotonic(),
      timers: context.timers,
      onError: (message) => context.onError(message, "nack"),
    });
    chip = { driver, inputs: new Map() };
    byAddress.set(address, chip);
  }
  chip.inputs.set(input, need);
  reconfigure(chip);
  return chip;
}

function leave(io: object, address: number, chip: SharedChip, input: number): void {
  chip.inputs.delete(input);
  if (chip.inputs.size > 0) return reconfigure(chip);
  chips?.get(io)?.delete(address);
  chip.driver.close();
}

function reconfigure(chip: SharedChip): void {
  chip.driver.configure({ inputs: [...chip.inputs.keys()].sort(), fsr: fullScaleFor(chip.inputs.values()) });
}
