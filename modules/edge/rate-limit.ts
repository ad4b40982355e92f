import { usable, withValue, type Emit, type Filter, type Sample } from "./filter.js";

/**
 * `rate_limit(per_s)`: the output follows the input but moves by at most
 * `per_s` (channel unit per second) between readings, by their times (a
 * slew-rate limiter). A bad, uncertain or non-finite reading passes unchanged
 * and restarts the limiter at the next usable one. A reading not later than
 * the previous one passes without moving the output. Throws RangeError unless
 * per_s is a finite number above 0.
 */
export class RateLimit implements Filter {
  #perMs: number;
  #value: number | undefined;
  #at = 0;

  constructor(perS: number) {
    if (!(perS > 0) || !Number.isFinite(perS)) throw new RangeError(`rate_limit: per_s must be a finite number above 0, got ${perS}`);
    this.#perMs = perS / 1000;
  }

  push(sample: Sample, emit: Emit): void {
    if (!usable(sample)) {
      this.#value = undefined;
      emit(sample);
      return;
    }
    if (this.#value === undefined) this.#value = sample.value;
    else {
      const step = this.#perMs * Math.max(0, sample.at - this.#at);
      this.#value = Math.min(this.#value + step, Math.max(this.#value - step, sample.value));
    }
    this.#at = Math.max(this.#at, sample.at);
    emit(withValue(sample, this.#value));
  }

  flush(): void {
    this.#value = undefined;
  }
}
