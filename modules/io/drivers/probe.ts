import type { I2CBus, I2COptions } from "../../platform.js";
import { PROBE_COMMAND, PROBE_CONTINUOUS, PROBE_FRAME, PROBE_NO_NEXT } from "../models/probe-model.js";
import { sensirionCrc8 } from "../sensirion-crc.js";

/**
 * A probe sample: the value, and when the chip has its next one: `nextInMs`
 * (it paces itself), `end` (no further value), or neither (continuous:
 * sample it on the channel's interval).
 */
export interface ProbeSample {
  value: number;
  nextInMs?: number;
  end?: true;
}

export interface ProbeOptions {
  sensor: Partial<I2COptions> & { io: new (options: I2COptions) => I2CBus };
  /** Called with a message instead of throwing on a NACK or a bad CRC. */
  onError?: (message: string) => void;
}

const DEFAULTS = { hz: 100_000 };

/**
 * Driver of the simulator's probe chip (modules/io/models/probe-model.ts),
 * in the ECMA-419 sensor shape: constructor, configure, sample, close. One
 * transaction per sample, nothing to wait for; buffers allocated once. A
 * NACK or a bad CRC goes to `onError` and the sample is `undefined`.
 */
export default class Probe {
  #io: I2CBus;
  #onError: (message: string) => void;
  #command = Uint8Array.of(PROBE_COMMAND.measure);

  /** Throws TypeError without an I2C constructor, and what the bus throws when it cannot open. */
  constructor(options: ProbeOptions) {
    const { io, ...bus } = options.sensor;
    if (typeof io !== "function") throw new TypeError("sensor.io must be an I2C constructor");
    if (bus.address === undefined) throw new TypeError("sensor.address is required");
    this.#io = new io({ ...DEFAULTS, ...bus } as I2COptions);
    this.#onError = options.onError ?? (() => {});
  }

  /** Nothing to configure. */
  configure(_options: Record<string, unknown> = {}): void {}

  /** The probe's value now; `undefined` when it did not answer or its CRC failed. */
  sample(): ProbeSample | undefined {
    let frame: Uint8Array;
    try {
      this.#io.write(this.#command);
      frame = new Uint8Array(this.#io.read(PROBE_FRAME));
    } catch (error) {
      this.#onError(`i2c: ${(error as Error).message}`);
      return undefined;
    }
    if (frame.length !== PROBE_FRAME || sensirionCrc8(frame, 0, 12) !== frame[12]) {
      this.#onError("probe CRC mismatch");
      return undefined;
    }
    const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
    const next = view.getUint32(8);
    const sample: ProbeSample = { value: view.getFloat64(0) };
    if (next === PROBE_NO_NEXT) sample.end = true;
    else if (next !== PROBE_CONTINUOUS) sample.nextInMs = next;
    return sample;
  }

  close(): void {
    this.#io.close();
  }
}
