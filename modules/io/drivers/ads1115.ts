import type { I2CBus, I2COptions, TimerHandle, Timers } from "../../platform.js";
import { bad, type QualifiedValue } from "../quality.js";

/** ADS1115 register pointers (TI SBAS444, section 9.6.1, table 6). */
const POINTER = { conversion: 0x00, config: 0x01 } as const;

/** Full-scale ranges of the PGA in volts, by PGA code (section 9.6.3, bits 11:9; 110 and 111 are also 0.256). */
export const ADS1115_FSR = Object.freeze([6.144, 4.096, 2.048, 1.024, 0.512, 0.256] as const);
/** Data rates in samples per second, by DR code (bits 7:5). */
export const ADS1115_RATES = Object.freeze([8, 16, 32, 64, 128, 250, 475, 860] as const);

/** Config word bits (section 9.6.3). */
const OS_START = 0x8000; // write: start a single conversion; read: 1 = idle, 0 = converting
const MUX_SINGLE = 0x4; // MUX 1xx: AINx against GND
const MODE_SINGLE = 0x0100;
const COMP_DISABLE = 0x0003;
/** Without a clock: samples in a row that find the conversion unfinished before it is declared stuck. */
const STUCK_AFTER = 3;
/** With a clock: a conversion still unfinished this long past its 1/DR (plus the chip's 10 % oscillator tolerance) is stuck, ms. */
const STUCK_GRACE_MS = 20;

export interface ADS1115Settings {
  /** Single-ended inputs converted in turn, AIN0..AIN3; default [0]. */
  inputs: number[];
  /** Full-scale range in volts (one of ADS1115_FSR); default 4.096. */
  fsr: number;
  /** Samples per second (one of ADS1115_RATES); default 128. */
  rate: number;
}

export interface ADS1115Options {
  sensor: Partial<I2COptions> & { io: new (options: I2COptions) => I2CBus };
  /**
   * Monotonic ms. With it, an unfinished conversion is `timeout` only once
   * it is overdue by time, so several channels may sample the chip at the
   * same instant; without it, after 3 samples that find it unfinished.
   */
  now?: () => number;
  /**
   * With timers, a sample that finds the chip idle starts a scan: each
   * input's conversion is collected by a timer when due (1/DR + 10 %) and the
   * next one started, so every input is fresh by the next sample even when
   * several channels sample the chip at the same instant. Without: one
   * conversion per sample call.
   */
  timers?: Timers;
  onError?: (message: string) => void;
}

/** Per input AIN0..AIN3, the volts of its latest conversion; `undefined` where not configured. */
export interface ADS1115Sample {
  ain: (QualifiedValue | undefined)[];
}

const DEFAULTS = { address: 0x48, hz: 400_000 };

/**
 * TI ADS1115 16-bit I2C ADC (SBAS444) in single-shot mode, never waiting:
 * each `sample()` reads the conversion started by the previous one (when the
 * config register's OS bit says it is done) and starts the next input's, so
 * the configured inputs are converted in turn, one per sample; with `timers`
 * a sample starts a scan of all inputs, each collected by a timer when due.
 * The first sample after open or configure is `not_ready`; a conversion still
 * unfinished when overdue (see `now`) is `timeout`; a NACK makes every input
 * `nack` until the chip answers again. Codes 0x7FFF and 0x8000 are the
 * clipped ends of the range: bad, over_range / under_range.
 */
export default class ADS1115 {
  #io: I2CBus;
  #onError: (message: string) => void;
  #settings: ADS1115Settings = { inputs: [0], fsr: 4.096, rate: 128 };
  #pointer = new Uint8Array(1);
  #write = new Uint8Array(3);
  #latest: (QualifiedValue | undefined)[] = [undefined, undefined, undefined, undefined];
  /** Position in `inputs` of the conversion under way, or -1. */
  #pending = -1;
  #pendingWord = 0;
  #unfinished = 0;
  #now: (() => number) | undefined;
  #startedAt = 0;
  #next = 0;
  #timers: Timers | undefined;
  #timer: TimerHandle | undefined;
  /** Conversions started in the scan under way, or -1 when none is. */
  #scanned = -1;

  constructor(options: ADS1115Options) {
    const { io, ...bus } = options.sensor;
    if (typeof io !== "function") throw new TypeError("sensor.io must be an I2C constructor");
    this.#io = new io({ ...DEFAULTS, ...bus } as I2COptions);
    this.#onError = options.onError ?? (() => {});
    this.#now = options.now;
    this.#timers = options.timers;
    this.#reset();
  }

  /** Overlays `partial`; throws TypeError/RangeError naming the field and value, and then changes nothing. */
  configure(partial: Partial<ADS1115Settings>): void {
    const next = { ...this.#settings, ...partial };
    if (!Array.isArray(next.inputs) || next.inputs.length < 1 || next.inputs.length > 4) throw new TypeError(`inputs must list 1 to 4 inputs, got ${String(next.inputs)}`);
    for (const input of next.inputs) if (!Number.isInteger(input) || input < 0 || input > 3) throw new RangeError(`inputs: AIN must be 0..3, got ${input}`);
    if (new Set(next.inputs).size !== next.inputs.length) throw new RangeError(`inputs: an input is listed twice in ${next.inputs.join(",")}`);
    if (!ADS1115_FSR.includes(next.fsr as never)) throw new RangeError(`fsr must be one of ${ADS1115_FSR.join(", ")} V, got ${next.fsr}`);
    if (!ADS1115_RATES.includes(next.rate as never)) throw new RangeError(`rate must be one of ${ADS1115_RATES.join(", ")} SPS, got ${next.rate}`);
    this.#settings = { ...next, inputs: [...next.inputs] };
    this.#reset();
  }

  /** Reads the finished conversion (if any), starts the next (with timers: starts a scan); never throws, never waits. */
  sample(): ADS1115Sample {
    if (this.#timers) {
      if (this.#scanned < 0) {
        this.#scanned = 0;
        this.#scan();
      }
      return { ain: this.#latest.slice() };
    }
    try {
      if (this.#pending >= 0) this.#collect();
      if (this.#pending < 0) this.#start();
    } catch (error) {
      this.#onError(`i2c: ${(error as Error).message}`);
      for (const input of this.#settings.inputs) this.#latest[input] = bad("nack");
      this.#pending = -1;
    }
    return { ain: this.#latest.slice() };
  }

  close(): void {
    this.#timers?.clear(this.#timer);
    this.#timer = undefined;
    this.#scanned = -1;
    this.#io.close();
  }

  /** The config word that starts a conversion of AIN`input`. */
  static configWord(input: number, fsr: number, rate: number): number {
    const pga = ADS1115_FSR.indexOf(fsr as never);
    const dr = ADS1115_RATES.indexOf(rate as never);
    return OS_START | ((MUX_SINGLE | input) << 12) | (pga << 9) | MODE_SINGLE | (dr << 5) | COMP_DISABLE;
  }

  #reset(): void {
    this.#latest = [undefined, undefined, undefined, undefined];
    for (const input of this.#settings.inputs) this.#latest[input] = bad("not_ready");
    this.#pending = -1;
    this.#next = 0;
    this.#timers?.clear(this.#timer);
    this.#timer = undefined;
    this.#scanned = -1;
    this.sample();
  }

  /** One step of a scan: collect the conversion under way, start the next input's, and come back when it is due. */
  #scan(): void {
    this.#timer = undefined;
    try {
      if (this.#pending >= 0) this.#collect();
      if (this.#pending < 0) {
        if (this.#scanned >= this.#settings.inputs.length) {
          this.#scanned = -1;
          return;
        }
        this.#start();
        this.#scanned++;
      }
    } catch (error) {
      this.#onError(`i2c: ${(error as Error).message}`);
      for (const input of this.#settings.inputs) this.#latest[input] = bad("nack");
      this.#pending = -1;
      this.#scanned = -1;
      return;
    }
    this.#timer = this.#timers!.once(() => this.#scan(), Math.ceil(1100 / this.#settings.rate) + 1);
  }

  #collect(): void {
    const input = this.#settings.inputs[this.#pending];
    const config = this.#readRegister(POINTER.config);
    if ((config & OS_START) === 0) {
      const overdue = this.#now
        ? this.#now() - this.#startedAt > (1.1 * 1000) / this.#settings.rate + STUCK_GRACE_MS
        : ++this.#unfinished >= STUCK_AFTER;
      if (!overdue) return;
      this.#latest[input] = bad("timeout");
      this.#onError(this.#now ? `AIN${input}: conversion overdue` : `AIN${input}: conversion unfinished after ${STUCK_AFTER} samples`);
      this.#pending = -1;
      return;
    }
    this.#pending = -1;
    // The chip reset or someone else reconfigured it: this result is not the conversion we asked for.
    if ((config & 0x7fff) !== (this.#pendingWord & 0x7fff)) {
      this.#latest[input] = bad("not_ready");
      return;
    }
    const raw = this.#readRegister(POINTER.conversion);
    const code = raw >= 0x8000 ? raw - 0x10000 : raw;
    if (code === 0x7fff) this.#latest[input] = bad("over_range");
    else if (code === -0x8000) this.#latest[input] = bad("under_range");
    else this.#latest[input] = { value: (code * this.#settings.fsr) / 32768, quality: "good" };
  }

  #start(): void {
    const { inputs, fsr, rate } = this.#settings;
    const position = this.#next;
    this.#next = (position + 1) % inputs.length;
    const word = ADS1115.configWord(inputs[position], fsr, rate);
    this.#write[0] = POINTER.config;
    this.#write[1] = word >> 8;
    this.#write[2] = word & 0xff;
    this.#io.write(this.#write);
    this.#pending = position;
    this.#pendingWord = word;
    this.#unfinished = 0;
    this.#startedAt = this.#now?.() ?? 0;
  }

  #readRegister(pointer: number): number {
    this.#pointer[0] = pointer;
    this.#io.write(this.#pointer);
    const bytes = new Uint8Array(this.#io.read(2));
    return (bytes[0] << 8) | bytes[1];
  }
}
