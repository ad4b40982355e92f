import type { Emit, Filter, Sample } from "./filter.js";

/**
 * `heartbeat(s)`: passes every reading, and makes sure something is reported
 * at least every `s` seconds while readings come in: when a reading reaches
 * the chain `s` or more after the time of the last reading this stage passed
 * (by the readings' times: a compressed series counts as reported up to its
 * last point), the chain asks the
 * stages before it to report what they hold back (`sync`: a deadband or
 * throttle its latest reading, compress its current segment's end point,
 * which keeps the strict bound). It never repeats an old value at a new time.
 * Throws RangeError unless s is a finite number above 0.
 */
export class Heartbeat implements Filter {
  #ms: number;
  #lastAt: number | undefined;

  constructor(s: number) {
    if (!(s > 0) || !Number.isFinite(s)) throw new RangeError(`heartbeat: s must be a finite number above 0, got ${s}`);
    this.#ms = s * 1000;
  }

  push(sample: Sample, emit: Emit): void {
    if (this.#lastAt === undefined || sample.at > this.#lastAt) this.#lastAt = sample.at;
    emit(sample);
  }

  /** True (and the period restarts) when nothing passed for s up to `now`. */
  due(now: number): boolean {
    if (this.#lastAt === undefined) this.#lastAt = now;
    if (now - this.#lastAt < this.#ms) return false;
    this.#lastAt = now;
    return true;
  }

  flush(): void {
    this.#lastAt = undefined;
  }
}
