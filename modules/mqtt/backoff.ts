/**
 * Exponential backoff with full jitter (delay drawn uniformly from
 * [0, min(cap, base * 2^attempt)]), so a fleet that lost its broker at once
 * does not come back at once. Defaults: base 1 s, cap 60 s.
 */
export class Backoff {
  #attempt = 0;
  #baseMs: number;
  #capMs: number;
  #random: () => number;

  constructor(random: () => number, options: { baseMs?: number; capMs?: number } = {}) {
    this.#baseMs = options.baseMs ?? 1000;
    this.#capMs = options.capMs ?? 60_000;
    if (!(this.#baseMs > 0)) throw new RangeError(`baseMs must be positive, got ${this.#baseMs}`);
    if (!(this.#capMs >= this.#baseMs)) throw new RangeError(`capMs must be >= baseMs, got ${this.#capMs}`);
    this.#random = random;
  }

  /** The next delay in ms; each call widens the window until the cap. */
  next(): number {
    const ceiling = Math.min(this.#capMs, this.#baseMs * 2 ** Math.min(this.#attempt, 30));
    this.#attempt++;
    return Math.floor(this.#random() * ceiling);
  }

  /** Attempts since the last success. */
  get attempts(): number {
    return this.#attempt;
  }

  reset(): void {
    this.#attempt = 0;
  }
}
