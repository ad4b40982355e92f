import { usable, withValue, type Emit, type Filter, type Sample } from "./filter.js";

/**
 * `ema(alpha)`: exponential moving average, `out = alpha·x + (1 − alpha)·out`,
 * starting at the first usable reading. A bad, uncertain or non-finite
 * reading passes unchanged and restarts the average at the next usable one.
 * Throws RangeError unless 0 < alpha ≤ 1.
 */
export class Ema implements Filter {
  #alpha: number;
  #value: number | undefined;

  constructor(alpha: number) {
    if (!(alpha > 0 && alpha <= 1)) throw new RangeError(`ema: alpha must be above 0 and at most 1, got ${alpha}`);
    this.#alpha = alpha;
  }

  push(sample: Sample, emit: Emit): void {
    if (!usable(sample)) {
      this.#value = undefined;
      emit(sample);
      return;
    }
    this.#value = this.#value === undefined ? sample.value : this.#alpha * sample.value + (1 - this.#alpha) * this.#value;
    emit(withValue(sample, this.#value));
  }

  flush(): void {
    this.#value = undefined;
  }
}
