import { usable, withValue, type Emit, type Filter, type Sample } from "./filter.js";
import { SlidingWindow } from "./sliding-window.js";

/**
 * The window sorted, shared by every median: it is filled, read and left
 * before `emit` is called, and one array less per median saves slots of
 * the ESP32's fixed XS slot heap. Made on first use, not at preload.
 */
let shared: number[] | undefined;
const ascending = (a: number, b: number) => a - b;

/**
 * `median(n)`: each usable reading comes out as the median of the last n
 * usable readings (fewer at the start; the mean of the middle two when the
 * count is even). A bad, uncertain or non-finite reading passes unchanged
 * and empties the window, so values from before a fault are never mixed
 * with values after it. Throws RangeError unless n is an integer in
 * [1, MAX_WINDOW].
 */
export class Median implements Filter {
  #window: SlidingWindow;

  constructor(n: number) {
    this.#window = new SlidingWindow("median", n);
  }

  push(sample: Sample, emit: Emit): void {
    if (!usable(sample)) {
      this.#window.clear();
      emit(sample);
      return;
    }
    const sorted = (shared ??= []);
    sorted.length = 0;
    for (const v of this.#window.add(sample.value)) sorted.push(v);
    sorted.sort(ascending);
    const half = sorted.length >> 1;
    emit(withValue(sample, sorted.length % 2 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2));
  }

  flush(): void {
    this.#window.clear();
  }
}
