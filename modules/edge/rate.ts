import { usable, withValue, type Emit, type Filter, type Sample } from "./filter.js";

/**
 * `rate`: the derivative, (x − previous x) / (t − previous t) in channel
 * unit per second, stamped at the later reading; the first usable reading
 * gives nothing. A bad, uncertain or non-finite reading passes unchanged and
 * restarts (the next usable one gives nothing). A reading not later than the
 * previous one is dropped.
 */
export class Rate implements Filter {
  #value: number | undefined;
  #at = 0;

  push(sample: Sample, emit: Emit): void {
    if (!usable(sample)) {
      this.#value = undefined;
      emit(sample);
      return;
    }
    if (this.#value !== undefined) {
      if (sample.at <= this.#at) return;
      emit(withValue(sample, ((sample.value - this.#value) * 1000) / (sample.at - this.#at)));
    }
    this.#value = sample.value;
    this.#at = sample.at;
  }

  flush(): void {
    this.#value = undefined;
  }
}
