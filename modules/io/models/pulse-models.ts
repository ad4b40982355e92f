import type { PulseCountIO, PulseCountOptions } from "../../platform.js";
import type { PinBoard } from "./pin-models.js";

/** Faults of a pulse meter and its counter. */
export interface PulseFaults {
  /** The meter stops sending pulses (a stuck impeller, a cut cable). */
  stuck?: boolean;
  /** The counter peripheral throws on read. */
  fail?: boolean;
}

/**
 * A pulse meter (flow or energy): pulses at `rate()` per second, integrated
 * over `now()` so the count follows virtual time exactly. `level()` is the
 * meter's output as a square wave (high for the first half of each pulse
 * period), for counting on a plain digital input.
 */
export class PulseSource {
  readonly faults: PulseFaults = {};
  #now: () => number;
  #rate: () => number;
  #last: number;
  #pulses = 0;

  constructor(now: () => number, rate: () => number) {
    this.#now = now;
    this.#rate = rate;
    this.#last = now();
  }

  /** Pulses (fractional) since the meter was created. */
  pulses(): number {
    const now = this.#now();
    if (now > this.#last && !this.faults.stuck) this.#pulses += (Math.max(0, this.#rate()) * (now - this.#last)) / 1000;
    this.#last = now;
    return this.#pulses;
  }

  /** Whole pulses since creation. */
  count(): number {
    return Math.floor(this.pulses());
  }

  level(): number {
    return this.pulses() % 1 < 0.5 ? 1 : 0;
  }
}

/**
 * ECMA-419 PulseCount over pulse sources by signal pin, as on the ESP32:
 * the PCNT counter is 16-bit signed, so `read()` wraps from 32767 to -32768;
 * `write(n)` sets the counter. Pins are claimed on `pins` like any other IO.
 */
export class PulseCountBoard {
  readonly sources = new Map<number, PulseSource>();
  #pins: PinBoard;

  constructor(pins: PinBoard) {
    this.#pins = pins;
  }

  pulseCountClass(): new (options: PulseCountOptions) => PulseCountIO {
    const sources = this.sources;
    const pins = this.#pins;
    return class ModelPulseCount implements PulseCountIO {
      #signal: number;
      #base: number;
      #closed = false;

      constructor(options: PulseCountOptions) {
        pins.claim(options.signal);
        this.#signal = options.signal;
        this.#base = sources.get(options.signal)?.count() ?? 0;
      }

      read(): number {
        if (this.#closed) throw new Error("PulseCount closed");
        const source = sources.get(this.#signal);
        if (source?.faults.fail) throw new Error("PCNT read failed");
        const counted = (source?.count() ?? 0) - this.#base;
        return ((((counted + 0x8000) % 0x10000) + 0x10000) % 0x10000) - 0x8000;
      }

      write(value: number): void {
        if (!Number.isInteger(value) || value < -0x8000 || value > 0x7fff) throw new RangeError(`PulseCount value must be -32768..32767, got ${value}`);
        this.#base = (sources.get(this.#signal)?.count() ?? 0) - value;
      }

      close(): void {
        if (this.#closed) return;
        this.#closed = true;
        pins.release(this.#signal);
      }
    };
  }
}
