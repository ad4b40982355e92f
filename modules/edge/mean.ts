import { usable, withValue, type Emit, type Filter, type Sample } from "./filter.js";
import { SlidingWindow } from "./sliding-window.js";

/**
 * `mean(n)`: each usable reading comes out as the mean of the last n usable
 * readings (fewer at the start). A bad, uncertain or non-finite reading
 * passes unchanged and empties the window. Throws RangeError unless n is an
 * integer in [1, MAX_WINDOW].
 */
export class Mean implements Filter {
  #window: SlidingWindow;

  constructor(n: number) {
    this.#window = new SlidingWindow("mean", n);
  }

  push(sample: Sample, emit: Emit): void {
    if (!usable(sample)) {
      this.#window.clear();
      emit(sample);
      return;
    }
    const values = this.#window.add(sample.value);
    let sum = 0;
    for (const v of values) sum += v;
    emit(withValue(sample, sum / values.length));
  }

  flush(): void {
    this.#window.clear();
  }
}
