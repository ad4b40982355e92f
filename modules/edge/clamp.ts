import { withValue, type Emit, type Filter, type Sample } from "./filter.js";

/**
 * `clamp(lo, hi)`: values below lo come out as lo, above hi as hi. Good and
 * uncertain readings are clamped (keeping their quality); bad or non-finite
 * ones pass unchanged. Stateless. Throws RangeError unless lo < hi, both
 * finite.
 */
export class Clamp implements Filter {
  #lo: number;
  #hi: number;

  constructor(lo: number, hi: number) {
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || !(lo < hi)) throw new RangeError(`clamp: lo must be below hi, got ${lo}, ${hi}`);
    this.#lo = lo;
    this.#hi = hi;
  }

  push(sample: Sample, emit: Emit): void {
    if (sample.quality === "bad" || !Number.isFinite(sample.value)) emit(sample);
    else emit(withValue(sample, Math.min(this.#hi, Math.max(this.#lo, sample.value))));
  }

  flush(): void {}
}
