import type { I2CDeviceModel } from "./i2c-bus-model.js";

/** Faults a test or the simulator can inject into the ADS1115 model. */
export interface ADS1115Faults {
  /** The chip does not answer: NACK on every transaction. */
  nack?: boolean;
  /** A started conversion never finishes (OS stays 0). */
  stuck?: boolean;
  /** Peak noise added to every conversion, volts (uniform in ±noise). */
  noise?: number;
}

const FSR = [6.144, 4.096, 2.048, 1.024, 0.512, 0.256, 0.256, 0.256];
const RATES = [8, 16, 32, 64, 128, 250, 475, 860];
const RESET_CONFIG = 0x8583;

/**
 * TI ADS1115 model (SBAS444) at the I2C boundary: a one-byte write sets the
 * address pointer, a three-byte write sets the pointed register (section
 * 9.5.3), a two-byte read returns it MSB first. Writing OS=1 starts a
 * single-shot conversion of the MUX input at the PGA range that finishes
 * after 1/DR seconds of `now()`; until then OS reads 0. Codes are 16-bit
 * two's complement, clipped at 0x7FFF and 0x8000. Inputs are voltage
 * functions, AIN0..AIN3 against GND; differential MUX codes subtract them.
 */
export class ADS1115Model implements I2CDeviceModel {
  readonly faults: ADS1115Faults = {};
  /** Volts at AIN0..AIN3 against GND. */
  readonly inputs: (() => number)[] = [() => 0, () => 0, () => 0, () => 0];
  #now: () => number;
  #pointer = 0;
  #config = RESET_CONFIG;
  #conversion = 0;
  #due: number | undefined;

  #random: () => number;

  /** `random` drives the noise fault (seed it in tests); default a fixed sequence. */
  constructor(now: () => number, random: () => number = fixedSequence()) {
    this.#now = now;
    this.#random = random;
  }

  /** Power-on reset: config 0x8583, conversion register 0. */
  powerCycle(): void {
    this.#pointer = 0;
    this.#config = RESET_CONFIG;
    this.#conversion = 0;
    this.#due = undefined;
  }

  write(bytes: Uint8Array): void {
    if (this.faults.nack) throw new Error("NACK");
    if (bytes.length !== 1 && bytes.length !== 3) throw new Error(`NACK: write of ${bytes.length} bytes`);
    if (bytes[0] > 3) throw new Error(`NACK: pointer ${bytes[0]}`);
    this.#pointer = bytes[0];
    if (bytes.length === 1) return;
    const word = (bytes[1] << 8) | bytes[2];
    if (this.#pointer !== 1) return; // thresholds: stored by the chip, unused here
    this.#settle();
    this.#config = word & 0x7fff | (this.#config & 0x8000);
    if (word & 0x8000 && this.#due === undefined) {
      this.#config &= 0x7fff;
      this.#due = this.#now() + 1000 / RATES[(word >> 5) & 7];
    }
  }

  read(byteLength: number): Uint8Array {
    if (this.faults.nack) throw new Error("NACK");
    this.#settle();
    const word = this.#pointer === 0 ? this.#conversion & 0xffff : this.#pointer === 1 ? this.#config : 0;
    const bytes = new Uint8Array(byteLength);
    if (byteLength > 0) bytes[0] = word >> 8;
    if (byteLength > 1) bytes[1] = word & 0xff;
    return bytes;
  }

  /** The code the chip gives for `volts` at full-scale range `fsr` (datasheet table 3). */
  static code(volts: number, fsr: number): number {
    return Math.max(-0x8000, Math.min(0x7fff, Math.round((volts * 32768) / fsr)));
  }

  #settle(): void {
    if (this.#due === undefined || this.faults.stuck || this.#now() < this.#due) return;
    this.#due = undefined;
    const mux = (this.#config >> 12) & 7;
    const [p, n] = [[0, 1], [0, 3], [1, 3], [2, 3], [0, -1], [1, -1], [2, -1], [3, -1]][mux];
    const noise = this.faults.noise ? this.faults.noise * (2 * this.#random() - 1) : 0;
    const volts = this.inputs[p]() - (n < 0 ? 0 : this.inputs[n]()) + noise;
    this.#conversion = ADS1115Model.code(volts, FSR[(this.#config >> 9) & 7]);
    this.#config |= 0x8000;
  }
}

/** A repeatable uniform [0, 1) source (xorshift32) for models given no random source. */
function fixedSequence(): () => number {
  let state = 0x2545f491;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
}
