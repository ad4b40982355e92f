/**
 * The simulated chips a machine profile may place on the board, as the
 * profile validator sees them: their fields, what they measure, and the
 * node's channel type that reads them. How each is modelled is in
 * chip-bindings.ts.
 */
export interface ChipType {
  /** Fields of a `chips[]` entry besides `id` and `type` (`address`: I2C; `pin`, `select`: GPIOs). */
  fields: readonly string[];
  required: readonly string[];
  /** Quantities, each with its SenML unit ("" when the profile must say). */
  measures: Readonly<Record<string, string>>;
  /** The node's sensor type (`ch.<name>.type`). */
  channelType: string;
  /** Most channels that may read one chip. */
  maxChannels: number;
  /** Fields a channel on this chip has (`input`: the ADS1115 input; `range`, `output`: a transmitter). */
  channelFields?: readonly string[];
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
  /** TI ADS1115 I2C ADC with a 4-20 mA / 0-10 V transmitter on each input (modules/io/models/ads1115-model.ts, transmitter-model.ts; shunt 250 Ω). */
  ads1115: { fields: ["address"], required: [], measures: { value: "" }, channelType: "ads1115", maxChannels: 4, channelFields: ["input", "range", "output"] },
  /** A 4-20 mA / 0-10 V transmitter on an ESP32 ADC pin (12 bits, 3.3 V full scale, shunt 150 Ω). */
  analog: { fields: ["pin"], required: ["pin"], measures: { value: "" }, channelType: "analog", maxChannels: 1, channelFields: ["range", "output"] },
  /** MAX31855 thermocouple amplifier on SPI behind chip-select `select` (modules/io/models/max31855-model.ts). */
  max31855: { fields: ["select"], required: ["select"], measures: { temperature: "Cel" }, channelType: "max31855", maxChannels: 1 },
  /** A contact (door, float switch, contactor aux) on a GPIO: its channel's value above 0.5 closes it. */
  contact: { fields: ["pin"], required: ["pin"], measures: { state: "/" }, channelType: "digital", maxChannels: 1 },
});

/**
 * Divider in front of a 0-10 V transmitter, so 10.5 V stays inside the
 * converter's range: 2 on an ADS1115 (±6.144 V), 4 on the ESP32's 3.3 V ADC.
 */
export function dividerFor(chipType: string, output: string | undefined): number {
  if (output !== "0-10V") return 1;
  return chipType === "ads1115" ? 2 : 4;
}

/** GPIOs the simulated board's buses use (I2C 21/22, SPI SCK 18, MISO 19): a profile may not use them again. */
export const BUS_PINS: Readonly<Record<number, string>> = Object.freeze({ 21: "the I2C bus (SDA)", 22: "the I2C bus (SCL)", 18: "the SPI bus (SCK)", 19: "the SPI bus (MISO)" });

/** Default I2C address per chip type when a profile leaves it out. */
export const DEFAULT_ADDRESS: Readonly<Record<string, number>> = Object.freeze({ sht3x: 0x44, ads1115: 0x48 });
