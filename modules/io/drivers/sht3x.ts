import type { I2CBus, I2COptions } from "../../platform.js";
import { sensirionCrc8 } from "../sensirion-crc.js";

/** SHT3x commands (datasheet table 9-13), frozen so a typo is a type error. */
const COMMAND = {
  periodic1mpsHigh: 0x2130,
  fetchData: 0xe000,
  breakPeriodic: 0x3093,
  softReset: 0x30a2,
} as const;

/** A reading as in the ECMA-419 Sensor Class Pattern (thermometer + hygrometer). */
export interface SHT3xSample {
  thermometer?: { temperature: number };
  hygrometer?: { humidity: number };
}

export interface SHT3xOptions {
  sensor: Partial<I2COptions> & { io: new (options: I2COptions) => I2CBus };
  /** Called with a message instead of throwing on a bad CRC or a NACK. */
  onError?: (message: string) => void;
}

const DEFAULTS = { address: 0x44, hz: 100_000 };

/**
 * Sensirion SHT3x temperature and humidity driver (ECMA-419 sensor shape:
 * constructor, configure, sample, close). It runs the chip in periodic mode
 * (1 measurement per second) and `sample()` fetches the latest result, so
 * nothing ever waits for a conversion. A field whose CRC fails is left out of
 * the sample and reported through `onError`.
 */
export default class SHT3x {
  #io: I2CBus;
  #onError: (message: string) => void;
  #command = new Uint8Array(2);

  constructor(options: SHT3xOptions) {
    const { io, ...bus } = options.sensor;
    if (typeof io !== "function") throw new TypeError("sensor.io must be an I2C constructor");
    const settings = { ...DEFAULTS, ...bus } as I2COptions;
    this.#io = new io(settings);
    this.#onError = options.onError ?? (() => {});
    this.#send(COMMAND.softReset);
    this.#send(COMMAND.periodic1mpsHigh);
  }

  /** Nothing to configure yet: repeatability is fixed to high. */
  configure(_options: Record<string, unknown> = {}): void {}

  /** Latest measurement; `undefined` when the chip did not answer. */
  sample(): SHT3xSample | undefined {
    let data: Uint8Array;
    try {
      this.#send(COMMAND.fetchData);
      data = new Uint8Array(this.#io.read(6));
    } catch (error) {
      this.#onError(`i2c: ${(error as Error).message}`);
      return undefined;
    }
    const sample: SHT3xSample = {};
    if (sensirionCrc8(data, 0, 2) === data[2]) {
      const raw = (data[0] << 8) | data[1];
      sample.thermometer = { temperature: -45 + (175 * raw) / 65535 };
    } else this.#onError("temperature CRC mismatch");
    if (sensirionCrc8(data, 3, 2) === data[5]) {
      const raw = (data[3] << 8) | data[4];
      sample.hygrometer = { humidity: (100 * raw) / 65535 };
    } else this.#onError("humidity CRC mismatch");
    return sample;
  }

  close(): void {
    try {
      this.#send(COMMAND.breakPeriodic);
    } catch {
      // The chip may already be gone; closing must still release the bus.
    }
    this.#io.close();
  }

  #send(command: number): void {
    this.#command[0] = command >> 8;
    this.#command[1] = command & 0xff;
    this.#io.write(this.#command);
  }
}
