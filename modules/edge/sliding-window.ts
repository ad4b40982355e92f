/** Largest window of `median(n)` and `mean(n)`. */
export const MAX_WINDOW = 64;

/**
 * The last n usable values of a windowed filter (`mean`, `median`): the
 * window and its bound live here once, the statistic in each filter.
 * Throws RangeError, naming the filter, unless n is an integer in
 * [1, MAX_WINDOW].
 */
export class SlidingWindow {
  #n: number;
  #values: number[] = [];

  constructor(filter: string, n: number) {
    if (!Number.isInteger(n) || n < 1 || n > MAX_WINDOW) throw new RangeError(`${filter}: n must be an integer from 1 to ${MAX_WINDOW}, got ${n}`);
    this.#n = n;
  }

  /** Adds `value`, dropping the oldest beyond n; returns the window, oldest first (do not keep it). */
  add(value: number): readonly number[] {
    this.#values.push(value);
    if (this.#values.length > this.#n) this.#values.shift();
    return this.#values;
  }

  /** Empties the window (a fault or a flush: values before it are never mixed with those after). */
  clear(): void {
    this.#values.length = 0;
  }
}
