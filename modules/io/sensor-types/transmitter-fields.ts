import type { KeySpec } from "../../config/key-spec.js";
import type { ChannelConfig } from "../../config/node-config.js";
import type { QualifiedValue } from "../quality.js";
import { NE43, type ScaledValue, type TransmitterScaling } from "../drivers/transmitter-scaling.js";
import { fieldOf, type ChannelView, type Measurement, type SensorType } from "../sensor-type.js";

/**
 * The config fields and quantities that the two transmitter types (`analog`
 * on the ESP32 ADC, `ads1115`) share, and the sample they both give.
 */
export function transmitterFields(shunt: number): Record<string, KeySpec> {
  return {
    signal: { type: "enum", values: ["4-20mA", "0-10V"], default: "4-20mA", help: "transmitter output: 4-20mA (over a shunt) or 0-10V", restart: true },
    range_low: { type: "decimal", default: 0, min: -1e9, max: 1e9, help: "value at 4 mA (or 0 V)", restart: true },
    range_high: { type: "decimal", default: 100, min: -1e9, max: 1e9, help: "value at 20 mA (or 10 V)", restart: true },
    shunt: { type: "decimal", default: shunt, min: 1, max: 10_000, unit: "ohm", help: "shunt resistor the loop current flows through", restart: true },
    divider: { type: "decimal", default: 1, min: 1, max: 100, help: "terminal volts per volt at the ADC (a 0-10 V divider)", restart: true },
  };
}

/** Quantities: the scaled value (first: the default measure; its unit is the range's, % by default), the loop current, the terminal voltage. */
export const TRANSMITTER_QUANTITIES = {
  value: { unit: "%", resolution: 0.01, anyUnit: true },
  current: { unit: "A", resolution: 1e-6 },
  voltage: { unit: "V", resolution: 1e-3 },
} as const;

/** The scaling of one channel, from its fields (validated at save). */
export function scalingOf(config: ChannelConfig, type: SensorType): TransmitterScaling {
  const field = (name: string) => fieldOf(config, type, name);
  return {
    signal: field("signal") === "0-10V" ? "0-10V" : "4-20mA",
    rangeLow: Number(field("range_low")),
    rangeHigh: Number(field("range_high")),
    shunt: Number(field("shunt")),
    divider: Number(field("divider")),
  };
}

/**
 * Save-time rules: the range must not be empty, and 21 mA (NE 43's short
 * limit) or 10.5 V must stay below the ADC's full scale `fullScale` volts,
 * or a short could not be told from a full-scale reading.
 */
export function checkTransmitter(channel: ChannelView, problems: string[], fullScale: number, fullScaleName: string): void {
  const key = (field: string) => `ch.${channel.name}.${field}`;
  const low = channel.get("range_low");
  const high = channel.get("range_high");
  if (low !== undefined && low === high) problems.push(`${key("range_low")} and ${key("range_high")} must differ, both are ${low}`);
  const divider = Number(channel.get("divider") ?? 1);
  if (channel.get("signal") === "0-10V") {
    const volts = 10.5 / divider;
    if (volts > fullScale) problems.push(`${key("divider")} ${divider} puts 10.5 V at ${volts.toFixed(2)} V, above the ${fullScaleName} ${fullScale} V`);
    return;
  }
  const shunt = Number(channel.get("shunt"));
  const volts = (NE43.shortAbove * shunt) / 1000 / divider;
  if (volts > fullScale) problems.push(`${key("shunt")} ${shunt} ohm puts 21 mA at ${volts.toFixed(2)} V, above the ${fullScaleName} ${fullScale} V`);
}

/**
 * A sensor sample from a graded transmitter value (or the ADC's fault): the
 * scaled value with its NE 43 quality, the loop current (4-20 mA only: a
 * 0-10 V channel leaves it out) and the voltage (across the shunt, or at the
 * terminal), both good whenever the ADC read them.
 */
export function transmitterSample(scaled: ScaledValue | QualifiedValue, scaling: TransmitterScaling): Record<string, Measurement> {
  if (!("signal" in scaled)) return { value: scaled, current: scaled, voltage: scaled };
  const value: Measurement = scaled.quality === "good" ? { value: scaled.value, quality: "good" } : { value: scaled.value, quality: scaled.quality, reason: scaled.reason };
  if (scaling.signal === "0-10V") return { value, voltage: { value: scaled.signal, quality: "good" } };
  return { value, current: { value: scaled.signal / 1000, quality: "good" }, voltage: { value: (scaled.signal * scaling.shunt) / 1000, quality: "good" } };
}
