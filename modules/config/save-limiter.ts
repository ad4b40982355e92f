import type { Clock, TimerHandle, Timers } from "../platform.js";

/** Default shortest time between two config writes caused by remote `set`, ms. */
export const SAVE_WINDOW_MS = 10_000;

/**
 * Rate limit of flash writes: at most one per `windowMs` (default
 * SAVE_WINDOW_MS). `request()` answers true when a write may happen now
 * (the caller writes at once: leading edge), else false and schedules one
 * call of `flush` at the end of the window (trailing edge) that carries
 * every change requested meanwhile; requests while it waits only ride on
 * it (`coalesced` counts them). Throws RangeError for a window below 1 ms.
 */
export class SaveLimiter {
  #timers: Timers;
  #clock: Clock;
  #flush: () => void;
  #windowMs: number;
  #last: number | undefined;
  #timer: TimerHandle | undefined;
  /** Requests that did not write at once but rode on a later write. */
  coalesced = 0;

  constructor(timers: Timers, clock: Clock, flush: () => void, windowMs = SAVE_WINDOW_MS) {
    if (!(windowMs >= 1)) throw new RangeError(`save window must be at least 1 ms, got ${windowMs}`);
    this.#timers = timers;
    this.#clock = clock;
    this.#flush = flush;
    this.#windowMs = windowMs;
  }

  /** Whether a trailing write is scheduled. */
  get waiting(): boolean {
    return this.#timer !== undefined;
  }

  /** True: write now. False: a write at the end of the window will carry this change. */
  request(): boolean {
    const now = this.#clock.monotonic();
    if (this.#timer === undefined && (this.#last === undefined || now - this.#last >= this.#windowMs)) {
      this.#last = now;
      return true;
    }
    this.coalesced++;
    if (this.#timer === undefined) {
      this.#timer = this.#timers.once(() => {
        this.#timer = undefined;
        this.#last = this.#clock.monotonic();
        this.#flush();
      }, Math.max(0, (this.#last ?? now) + this.#windowMs - now));
    }
    return false;
  }

  /** Drops the scheduled write (it was done otherwise, or must not happen). */
  cancel(): void {
    this.#timers.clear(this.#timer);
    this.#timer = undefined;
  }
}
