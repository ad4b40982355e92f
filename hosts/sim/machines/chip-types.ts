/**
 * The simulated chips a machine profile may place on the board, as the
 * profile validator sees them: their fields, what they measure, and the
 * node's channel type that reads them. How each is modelled is in
 * chip-bindings.ts.
 */
export interface ChipType {
  /** Fields of a `chips[]` entry besides `id` and `type`. */
  fields: readonly string[];
  required: readonly string[];
  /** Quantities, each with its SenML unit ("" when the profile must say). */
  measures: Readonly<Record<string, string>>;
  /** The node's sensor type (`ch.<name>.type`). */
  channelType: string;
  /** Most channels that may read one chip. */
  maxChannels: number;
}

export const CHIP_TYPES: Readonly<Record<string, ChipType>> = Object.freeze({
  /** Sensirion SHT3x on I2C: temperature and humidity, real CRCs (modules/io/models/sht3x-model.ts). */
  sht3x: { fields: ["address"], required: [], measures: { temperature: "Cel", humidity: "%RH" }, channelType: "sht3x", maxChannels: 2 },
  /**
   * The simulator's probe on I2C (modules/io/models/probe-model.ts): one exact
   * value (a float64 with a CRC), for quantities no modelled chip measures and
   * for CSV replay, where values must arrive as written.
   */
  probe: { fields: ["address"], required: ["address"], measures: { value: "" }, channelType: "probe", maxChannels: 1 },
});

/** Default I2C address per chip type when a profile leaves it out. */
export const DEFAULT_ADDRESS: Readonly<Record<string, number>> = Object.freeze({ sht3x: 0x44 });
