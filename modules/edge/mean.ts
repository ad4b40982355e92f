import { usable, withValue, type Emit, type Filter, type Sample } from "./filter.js";
import { MAX_WINDOW } from "./median.js";

/**
 * `mean(n)`: each usable reading comes out as the mean of the last n usable
 * readings (fewer at the start). A bad, uncertain or non-finite reading
 * passes unchanged and empties the window. Throws RangeError unless n is an
 * integer in [1, MAX_WINDOW].
 */
export class Mean implements Filter {
  #n: number;
  #window: number[] = [];

  constructor(n: number) {
    if (!Number.isInteger(n) || n < 1 || n > MAX_WINDOW) throw new RangeError(`mean: n must be an integer from 1 to ${MAX_WINDOW}, got ${n}`);
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
    let sum = 0;
    for (const v of this.#window) sum += v;
    emit(withValue(sample, sum / this.#window.length));
  }

  flush(): void {
    this.#window.length = 0;
  }
}
