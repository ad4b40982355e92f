import type { I2CBus, I2COptions } from "../../platform.js";
import { CALIBRATION_A_LENGTH, CALIBRATION_B_LENGTH, compensateHumidity, compensatePressure, compensateTemperature, parseCalibration, type BME280Calibration } from "../bme280-compensation.js";
import type { QualityReason } from "../quality.js";

/** BME280 registers (datasheet section 5.3, table 18), frozen so a typo is a type error. */
export const BME280_REGISTER = Object.freeze({
  calibrationA: 0x88,
  chipId: 0xd0,
  calibrationB: 0xe1,
  ctrlHum: 0xf2,
  ctrlMeas: 0xf4,
  config: 0xf5,
  data: 0xf7,
} as const);

/** What register 0xD0 holds on a BME280 (a BMP280 answers 0x58). */
export const BME280_CHIP_ID = 0x60;
/** The chip's address with SDO to GND (section 6.2); 0x77 with SDO to VDDIO. */
export const BME280_ADDRESS = 0x76;

/** ctrl_hum: humidity oversampling ×1 (section 5.4.3). */
const CTRL_HUM = 0x01;
/** config: standby 1000 ms between measurements in normal mode (t_sb 101), IIR filter off (section 5.4.6). */
const CONFIG = 0xa0;
/** ctrl_meas: temperature and pressure oversampling ×1, normal mode (section 5.4.5); written after ctrl_hum, which it makes effective. */
const CTRL_MEAS = 0x27;
/** Raw value of a measurement not made yet (reset value of the data registers, section 5.4.7-5.4.9). */
const SKIPPED_20 = 0x80000;

/** A reading as in the ECMA-419 Sensor Class Pattern. */
export interface BME280Sample {
  thermometer?: { temperature: number };
  barometer?: { pressure: number };
  hygrometer?: { humidity: number };
}

export interface BME280Options {
  sensor: Partial<I2COptions> & { io: new (options: I2COptions) => I2CBus };
  /** Called with a message and its quality reason instead of throwing. */
  onError?: (message: string, reason: QualityReason) => void;
}

const DEFAULTS = Object.freeze({ address: BME280_ADDRESS, hz: 100_000 });

/**
 * Bosch BME280 pressure, temperature and humidity driver (ECMA-419 sensor
 * shape). At open it checks the chip id, reads the trimming parameters once
 * and starts normal mode (one measurement a second, oversampling ×1), so
 * `sample()` only burst-reads the latest result (0xF7..0xFE) and never
 * waits; it compensates with the datasheet's integer formulas
 * (bme280-compensation.ts). Buffers are allocated once. A failed open
 * closes the bus before it throws.
 */
export default class BME280 {
  #io: I2CBus;
  #onError: (message: string, reason: QualityReason) => void;
  #calibration: BME280Calibration;
  #closed = false;
  #register = new Uint8Array(1);
  #pair = new Uint8Array(2);
  #data = new Uint8Array(8);

  /** Throws TypeError without an I2C constructor, and (bus closed first) the bus's error or a RangeError for a chip that is not a BME280. */
  constructor(options: BME280Options) {
    const { io, ...bus } = options.sensor;
    if (typeof io !== "function") throw new TypeError("sensor.io must be an I2C constructor");
    this.#onError = options.onError ?? (() => {});
    this.#io = new io({ ...DEFAULTS, ...bus } as I2COptions);
    try {
      const id = this.#read(BME280_REGISTER.chipId, new Uint8Array(1))[0];
      if (id !== BME280_CHIP_ID) throw Object.assign(new RangeError(`not a BME280: chip id 0x${id.toString(16)} (expected 0x60)`), { reason: "sensor_fault" });
      const a = this.#read(BME280_REGISTER.calibrationA, new Uint8Array(CALIBRATION_A_LENGTH));
      const b = this.#read(BME280_REGISTER.calibrationB, new Uint8Array(CALIBRATION_B_LENGTH));
      this.#calibration = parseCalibration(a, b);
      this.#write(BME280_REGISTER.ctrlHum, CTRL_HUM);
      this.#write(BME280_REGISTER.config, CONFIG);
      this.#write(BME280_REGISTER.ctrlMeas, CTRL_MEAS);
    } catch (error) {
      this.#closed = true;
      this.#io.close();
      throw error;
    }
  }

  /** Nothing to configure yet: oversampling ×1, normal mode, 1 s standby. */
  configure(_options: Record<string, unknown> = {}): void {}

  /** The latest measurement; `undefined` (and `onError`) when the chip did not answer or has not measured yet. */
  sample(): BME280Sample | undefined {
    if (this.#closed) {
      this.#onError("closed", "sensor_fault");
      return undefined;
    }
    const d = this.#data;
    try {
      this.#read(BME280_REGISTER.data, d);
    } catch (error) {
      this.#onError(`i2c: ${(error as Error).message}`, "nack");
      return undefined;
    }
    const adcP = (d[0] << 12) | (d[1] << 4) | (d[2] >> 4);
    const adcT = (d[3] << 12) | (d[4] << 4) | (d[5] >> 4);
    const adcH = (d[6] << 8) | d[7];
    if (adcT === SKIPPED_20) {
      this.#onError("no measurement yet", "not_ready");
      return undefined;
    }
    const c = this.#calibration;
    const { tFine, centiCelsius } = compensateTemperature(adcT, c);
    const sample: BME280Sample = { thermometer: { temperature: centiCelsius / 100 } };
    const pressure = compensatePressure(adcP, tFine, c);
    if (adcP !== SKIPPED_20 && pressure > 0) sample.barometer = { pressure: pressure / 256 };
    else this.#onError("pressure not measured", "sensor_fault");
    sample.hygrometer = { humidity: compensateHumidity(adcH, tFine, c) / 1024 };
    return sample;
  }

  /** Puts the chip to sleep (when it still answers) and releases the bus; never throws; a second call does nothing. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#write(BME280_REGISTER.ctrlMeas, CTRL_MEAS & ~0x03);
    } catch {
      // The chip may be gone; the bus is released below either way.
    }
    try {
      this.#io.close();
    } catch {
      // Nothing more can be released.
    }
  }

  /** Reads `into.length` bytes from `register` on (auto-increment), into the caller's buffer. */
  #read(register: number, into: Uint8Array): Uint8Array {
    this.#register[0] = register;
    this.#io.write(this.#register, false);
    this.#io.read(into);
    return into;
  }

  #write(register: number, value: number): void {
    this.#pair[0] = register;
    this.#pair[1] = value;
    this.#io.write(this.#pair);
  }
}
