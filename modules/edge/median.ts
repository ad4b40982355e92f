import { usable, withValue, type Emit, type Filter, type Sample } from "./filter.js";

/** Largest window of `median(n)` and `mean(n)`. */
export const MAX_WINDOW = 64;

/**
 * `median(n)`: each usable reading comes out as the median of the last n
 * usable readings (fewer at the start; the mean of the middle two when the
 * count is even). A bad, uncertain or non-finite reading passes unchanged
 * and empties the window, so values from before a fault are never mixed
 * with values after it. Throws RangeError unless n is an integer in
 * [1, MAX_WINDOW].
 */
export class Median implements Filter {
  #n: number;
  #window: number[] = [];
  #sorted: number[] = [];

  constructor(n: number) {
    if (!Number.isInteger(n) || n < 1 || n > MAX_WINDOW) throw new RangeError(`median: n must be an integer from 1 to ${MAX_WINDOW}, got ${n}`);
    this.#n = n;
  }

  push(sample: Sample, emit: Emit): void {
    if (!usable(sample)) {
      this.#window.length = 0;
      emit(sample);
      return;
    }
    this.#window.push(sample.value);
    if (this.#window.length > this.#n) this.#window.shift();
    const sorted = this.#sorted;
    sorted.length = 0;
    for (const v of this.#window) sorted.push(v);
    sorted.sort((a, b) => a - b);
    const half = sorted.length >> 1;
    emit(withValue(sample, sorted.length % 2 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2));
  }

  flush(): void {
    this.#window.length = 0;
  }
}
