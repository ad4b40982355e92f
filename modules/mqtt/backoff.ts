/** Default first delay ceiling and cap (ms). */
const BASE_MS = 1000;
const CAP_MS = 60_000;

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
    checkBackoffOptions(options);
    this.#baseMs = options.baseMs ?? BASE_MS;
    this.#capMs = options.capMs ?? CAP_MS;
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

/** Throws the RangeError a `Backoff` with these options would (base not above 0, cap below base). */
export function checkBackoffOptions(options: { baseMs?: number; capMs?: number }): void {
  const baseMs = options.baseMs ?? BASE_MS;
  const capMs = options.capMs ?? CAP_MS;
  if (!(baseMs > 0)) throw new RangeError(`baseMs must be positive, got ${baseMs}`);
  if (!(capMs >= baseMs)) throw new RangeError(`capMs must be >= baseMs, got ${capMs}`);
}
