import type { I2CBus, I2COptions, TimerHandle, Timers } from "../../platform.js";
import type { QualityReason } from "../quality.js";
import { sensirionCrc8 } from "../sensirion-crc.js";

/** SHT3x commands (datasheet table 9-13), frozen so a typo is a type error. */
const COMMAND = Object.freeze({
  periodic1mpsHigh: 0x2130,
  fetchData: 0xe000,
  breakPeriodic: 0x3093,
  softReset: 0x30a2,
} as const);

/** Soft reset time, datasheet table 4 (1.5 ms max), rounded up to the timer's grain. */
const RESET_MS = 2;

/** A reading as in the ECMA-419 Sensor Class Pattern (thermometer + hygrometer). */
export interface SHT3xSample {
  thermometer?: { temperature: number };
  hygrometer?: { humidity: number };
}

export interface SHT3xOptions {
  sensor: Partial<I2COptions> & { io: new (options: I2COptions) => I2CBus };
  /**
   * Schedules the start of periodic mode after the soft reset (no blocking
   * wait). Without timers the first `sample()` starts it and reports
   * `not_ready`.
   */
  timers?: Timers;
  /** Called with a message and its quality reason instead of throwing on a bad CRC or a NACK. */
  onError?: (message: string, reason: QualityReason) => void;
}

/** The chip's I2C address with ADDR low (datasheet section 3.5); 0x45 with ADDR high. */
export const SHT3X_ADDRESS = 0x44;

const DEFAULTS = Object.freeze({ address: SHT3X_ADDRESS, hz: 100_000 });

/**
 * Sensirion SHT3x temperature and humidity driver (ECMA-419 sensor shape:
 * constructor, configure, sample, close). It runs the chip in periodic mode
 * (1 measurement per second) and `sample()` fetches the latest result, so
 * nothing ever waits for a conversion; the 1.5 ms after the soft reset is a
 * timer, not a delay. Buffers are allocated once. A constructor that fails
 * (no chip: NACK) closes the bus before it throws. A field whose CRC fails
 * is left out of the sample and reported through `onError`.
 */
export default class SHT3x {
  #io: I2CBus;
  #onError: (message: string, reason: QualityReason) => void;
  #timers: Timers | undefined;
  #start: TimerHandle | undefined;
  #periodic = false;
  #closed = false;
  #command = new Uint8Array(2);
  #data = new Uint8Array(6);

  /** Throws TypeError without an I2C constructor, and the bus's error (closed first) when the chip does not answer. */
  constructor(options: SHT3xOptions) {
    const { io, ...bus } = options.sensor;
    if (typeof io !== "function") throw new TypeError("sensor.io must be an I2C constructor");
    const settings = { ...DEFAULTS, ...bus } as I2COptions;
    this.#onError = options.onError ?? (() => {});
    this.#timers = options.timers;
    this.#io = new io(settings);
    try {
      this.#send(COMMAND.softReset);
    } catch (error) {
      this.#io.close();
      this.#closed = true;
      throw error;
    }
    if (this.#timers) this.#start = this.#timers.once(() => this.#startPeriodic(), RESET_MS);
  }

  /** Nothing to configure yet: repeatability is fixed to high. */
  configure(_options: Record<string, unknown> = {}): void {}

  /** Latest measurement; `undefined` when the chip did not answer or is not measuring yet. */
  sample(): SHT3xSample | undefined {
    if (this.#closed) {
      this.#onError("closed", "sensor_fault");
      return undefined;
    }
    if (!this.#periodic) {
      if (this.#start !== undefined) this.#onError("not measuring yet", "not_ready");
      else if (this.#startPeriodic()) this.#onError("periodic mode started", "not_ready");
      return undefined;
    }
    const data = this.#data;
    try {
      this.#send(COMMAND.fetchData);
      this.#io.read(data);
    } catch (error) {
      this.#onError(`i2c: ${(error as Error).message}`, "nack");
      return undefined;
    }
    const sample: SHT3xSample = {};
    if (sensirionCrc8(data, 0, 2) === data[2]) {
      const raw = (data[0] << 8) | data[1];
      sample.thermometer = { temperature: -45 + (175 * raw) / 65535 };
    } else this.#onError("temperature CRC mismatch", "crc");
    if (sensirionCrc8(data, 3, 2) === data[5]) {
      const raw = (data[3] << 8) | data[4];
      sample.hygrometer = { humidity: (100 * raw) / 65535 };
    } else this.#onError("humidity CRC mismatch", "crc");
    return sample;
  }

  /** Stops periodic mode (when the chip still answers) and releases the bus; never throws; a second call does nothing. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#timers?.clear(this.#start);
    try {
      this.#send(COMMAND.breakPeriodic);
    } catch {
      // The chip may already be gone; closing must still release the bus.
    }
    try {
      this.#io.close();
    } catch {
      // Nothing more can be released.
    }
  }

  /** Sends the periodic-mode command; false (and an error) when the chip did not take it. */
  #startPeriodic(): boolean {
    this.#start = undefined;
    if (this.#closed) return false;
    try {
      this.#send(COMMAND.periodic1mpsHigh);
      this.#periodic = true;
      return true;
    } catch (error) {
      this.#onError(`i2c: ${(error as Error).message}`, "nack");
      return false;
    }
  }

  #send(command: number): void {
    this.#command[0] = command >> 8;
    this.#command[1] = command & 0xff;
    this.#io.write(this.#command);
  }
}
