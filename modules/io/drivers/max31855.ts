import type { SPIBus, SPIOptions } from "../../platform.js";
import { bad, type QualifiedValue } from "../quality.js";

/** A reading: the probe (hot junction) and the chip's own (cold junction) temperature, °C. */
export interface MAX31855Sample {
  thermocouple: QualifiedValue;
  internal: QualifiedValue;
}

export interface MAX31855Options {
  sensor: Partial<SPIOptions> & { io: new (options: SPIOptions) => SPIBus; select: number };
  onError?: (message: string) => void;
}

/** Fault bits D2..D0 (datasheet table 2) and the reason each gives. */
const FAULTS = [
  [0x4, "short_vcc"],
  [0x2, "short_gnd"],
  [0x1, "open_loop"],
] as const;

/** Datasheet: SCK at most 5 MHz; data changes on the falling edge and is read on the rising one (SPI mode 0). */
const DEFAULTS = { hz: 4_000_000, mode: 0 };

/**
 * Maxim MAX31855 thermocouple amplifier on SPI (read-only, 32-bit frame,
 * datasheet table 2). `sample()` clocks one frame (select, 4 bytes, release)
 * and decodes the 14-bit thermocouple temperature (0.25 °C) and the 12-bit
 * internal temperature (0.0625 °C). The chip converts continuously (100 ms),
 * so nothing waits. Fault bit D16 makes the thermocouple bad with the reason
 * of D2..D0: `short_vcc` (SCV), `short_gnd` (SCG), `open_loop` (OC); the internal
 * temperature stays good. A frame with a reserved bit (D17, D3) set, or all
 * zeros or all ones (no chip, MISO stuck), is bad `nack` for both values.
 */
export default class MAX31855 {
  #io: SPIBus;
  #onError: (message: string) => void;
  #frame = new Uint8Array(4);
  #view = new DataView(this.#frame.buffer);

  constructor(options: MAX31855Options) {
    const { io, ...bus } = options.sensor;
    if (typeof io !== "function") throw new TypeError("sensor.io must be an SPI constructor");
    if (!Number.isInteger(bus.select)) throw new TypeError(`sensor.select must be a pin number, got ${String(bus.select)}`);
    this.#io = new io({ ...DEFAULTS, ...bus } as SPIOptions);
    this.#onError = options.onError ?? (() => {});
  }

  /** Nothing to configure: the chip has no registers to write. */
  configure(_options: Record<string, unknown> = {}): void {}

  sample(): MAX31855Sample {
    try {
      this.#io.read(this.#frame);
    } catch (error) {
      this.#onError(`spi: ${(error as Error).message}`);
      this.#release();
      return { thermocouple: bad("nack"), internal: bad("nack") };
    }
    this.#release();
    return MAX31855.decode(this.#view.getUint32(0));
  }

  close(): void {
    this.#io.close();
  }

  /** Decodes one 32-bit frame (datasheet table 2); pure, for tests and tools. */
  static decode(frame: number): MAX31855Sample {
    if (frame === 0 || frame === 0xffffffff || frame & 0x00020008) return { thermocouple: bad("nack"), internal: bad("nack") };
    const internal: QualifiedValue = { value: ((frame << 16) >> 20) / 16, quality: "good" };
    if (frame & 0x10000) {
      const fault = FAULTS.find(([bit]) => frame & bit);
      return { thermocouple: bad(fault ? fault[1] : "sensor_fault"), internal };
    }
    return { thermocouple: { value: (frame >> 18) / 4, quality: "good" }, internal };
  }

  #release(): void {
    try {
      this.#io.flush(true);
    } catch {
      // A bus that failed mid-transaction may refuse the flush too; the next read starts afresh.
    }
  }
}
