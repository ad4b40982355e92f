import { type Emit, type Filter, type Sample } from "./filter.js";

/**
 * `throttle(s)`: at most one reading per `s` seconds passes (the first one,
 * then the first at least s after the last passed); the latest held back is
 * reported on `sync` (a heartbeat) and `flush`. A reading whose quality
 * differs from the last passed one always passes (a fault is never throttled
 * away), as does a non-finite value. Throws RangeError unless s is a finite
 * number above 0.
 */
export class Throttle implements Filter {
  #ms: number;
  #lastAt: number | undefined;
  #lastQuality: string | undefined;
  #held: Sample | undefined;

  constructor(s: number) {
    if (!(s > 0) || !Number.isFinite(s)) throw new RangeError(`throttle: s must be a finite number above 0, got ${s}`);
    this.#ms = s * 1000;
  }

  push(sample: Sample, emit: Emit): void {
    const quality = sample.quality ?? "good";
    const changed = quality !== this.#lastQuality || !Number.isFinite(sample.value);
    if (changed || this.#lastAt === undefined || sample.at - this.#lastAt >= this.#ms) this.pass(sample, emit);
    else this.#held = sample;
  }

  sync(emit: Emit): void {
    if (this.#held) this.pass(this.#held, emit);
  }

  flush(emit: Emit): void {
    this.sync(emit);
    this.#lastAt = undefined;
    this.#lastQuality = undefined;
  }

  // Helpers are TypeScript-private, not #private: XS gives every instance a slot per #method (the ESP32's fixed slot heap).
  private pass(sample: Sample, emit: Emit): void {
    this.#lastAt = sample.at;
    this.#lastQuality = sample.quality ?? "good";
    this.#held = undefined;
    emit(sample);
  }
}
