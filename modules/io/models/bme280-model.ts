import { calibrationBytes, compensateHumidity, compensatePressure, compensateTemperature, type BME280Calibration } from "../bme280-compensation.js";
import type { I2CDeviceModel } from "./i2c-bus-model.js";

/** What the simulated air around the chip is, right now. */
export interface Air {
  /** °C */
  temperature: number;
  /** Pa */
  pressure: number;
  /** %RH */
  humidity: number;
}

/** Trimming parameters of a real BME280 (typical values; T and P as in Bosch's worked example). */
export const TYPICAL_BME280_CALIBRATION: BME280Calibration = Object.freeze({
  T1: 27504, T2: 26435, T3: -1000,
  P1: 36477, P2: -10685, P3: 3024, P4: 2855, P5: 140, P6: -7, P7: 15500, P8: -14600, P9: 6000,
  H1: 75, H2: 370, H3: 0, H4: 305, H5: 50, H6: 30,
});

/** Faults a test or a technician can inject. */
export interface BME280Faults {
  /** The chip stops answering (NACK on every transaction). */
  absent?: boolean;
  /** A different chip at the address (a BMP280 answers 0x58 at 0xD0). */
  chipId?: number;
}

/**
 * BME280 chip model on I2C: registers with the chip id, its calibration
 * blocks (0x88.., 0xE1..), the control registers, and the data registers
 * 0xF7..0xFE, which in normal mode hold the raw ADC values that give back
 * the simulated air through the datasheet's compensation (found by bisection
 * on the monotonic formulas). A write is a register address, optionally
 * followed by values to write from there; a read returns bytes from the
 * address on, auto-incrementing (datasheet section 6.2). Portable.
 */
export class BME280Model implements I2CDeviceModel {
  readonly faults: BME280Faults = {};
  readonly calibration: BME280Calibration;
  #air: () => Air;
  #registers = new Uint8Array(256);
  #pointer = 0;

  constructor(air: () => Air, calibration: BME280Calibration = TYPICAL_BME280_CALIBRATION) {
    this.#air = air;
    this.calibration = calibration;
    const { a, b } = calibrationBytes(calibration);
    this.#registers.set(a, 0x88);
    this.#registers.set(b, 0xe1);
    this.powerCycle();
  }

  /** Back to power-on: sleep mode, data registers at their reset values (0x80000, 0x8000). */
  powerCycle(): void {
    this.#registers.fill(0, 0xf2, 0x100);
    this.#registers.set([0x80, 0x00, 0x00, 0x80, 0x00, 0x00, 0x80, 0x00], 0xf7);
  }

  /** Normal mode is on (ctrl_meas mode bits 11). */
  get measuring(): boolean {
    return (this.#registers[0xf4] & 0x03) === 0x03;
  }

  write(bytes: Uint8Array): void {
    if (this.faults.absent) throw new Error("NACK");
    if (bytes.length === 0) throw new Error("NACK: empty write");
    this.#pointer = bytes[0];
    for (let i = 1; i < bytes.length; i++) {
      const register = (this.#pointer + i - 1) & 0xff;
      if (register === 0xe0 && bytes[i] === 0xb6) this.powerCycle();
      else if (register >= 0xf2 && register <= 0xf5) this.#registers[register] = bytes[i];
    }
  }

  read(byteLength: number): Uint8Array {
    if (this.faults.absent) throw new Error("NACK");
    if (this.measuring && this.#pointer <= 0xfe && this.#pointer + byteLength > 0xf7) this.#measure();
    const out = new Uint8Array(byteLength);
    for (let i = 0; i < byteLength; i++) {
      const register = (this.#pointer + i) & 0xff;
      out[i] = register === 0xd0 ? (this.faults.chipId ?? 0x60) : this.#registers[register];
    }
    return out;
  }

  /** Fills the data registers with the raw values of the air now. */
  #measure(): void {
    const air = this.#air();
    const c = this.calibration;
    const adcT = bisect(0, 0xfffff, (adc) => compensateTemperature(adc, c).centiCelsius / 100, air.temperature, true);
    const { tFine } = compensateTemperature(adcT, c);
    const adcP = bisect(0, 0xfffff, (adc) => compensatePressure(adc, tFine, c) / 256, air.pressure, false);
    const adcH = bisect(0, 0xffff, (adc) => compensateHumidity(adc, tFine, c) / 1024, Math.min(100, Math.max(0, air.humidity)), true);
    this.#registers.set([adcP >> 12, (adcP >> 4) & 0xff, (adcP & 0x0f) << 4, adcT >> 12, (adcT >> 4) & 0xff, (adcT & 0x0f) << 4, adcH >> 8, adcH & 0xff], 0xf7);
  }
}

/** The integer in [low, high] whose `f` is closest to `target`, for `f` monotonic (rising or falling). */
function bisect(low: number, high: number, f: (x: number) => number, target: number, rising: boolean): number {
  let lo = low;
  let hi = high;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (f(mid) < target === rising) lo = mid;
    else hi = mid;
  }
  return Math.abs(f(lo) - target) <= Math.abs(f(hi) - target) ? lo : hi;
}
