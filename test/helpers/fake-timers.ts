/**
 * A small synchronous fake clock and `Timers` for unit tests: time moves
 * only when the test calls `advance(ms)`, and timers that fall due on the
 * way fire at their due time, in due-time order; ties fire in scheduling
 * order, and a repeat that fires is rescheduled behind the timers already
 * waiting for its next due time.
 */
import type { Clock, TimerHandle, Timers } from "../../modules/platform.js";

interface FakeTimer {
  due: number;
  /** 0 for `once`. */
  interval: number;
  order: number;
  callback: () => void;
}

/** Throws after this many firings in one `advance` (a runaway repeat). */
const MAX_FIRINGS = 100_000;

export class FakeTimers implements Timers, Clock {
  #now = 0;
  #order = 0;
  #live = new Set<FakeTimer>();

  /** Monotonic ms; starts at `start` (default 0). */
  constructor(start = 0) {
    this.#now = start;
  }

  monotonic(): number {
    return this.#now;
  }

  wallTime(): number | undefined {
    return undefined;
  }

  once(callback: () => void, delayMs: number): TimerHandle {
    return this.#add(callback, Math.max(0, delayMs), 0);
  }

  /** Throws RangeError unless `intervalMs` is positive. */
  repeat(callback: () => void, intervalMs: number): TimerHandle {
    if (!(intervalMs > 0)) throw new RangeError(`repeat interval must be positive, got ${intervalMs}`);
    return this.#add(callback, intervalMs, intervalMs);
  }

  clear(handle: TimerHandle | undefined): void {
    this.#live.delete(handle as FakeTimer);
  }

  /** Timers scheduled and not yet fired (once) or cleared. */
  get pending(): number {
    return this.#live.size;
  }

  /**
   * Moves time forward by `ms`, firing due callbacks in order at their due
   * time (a callback sees `monotonic()` equal to its due time). Returns the
   * number of firings. Throws RangeError for a negative `ms`.
   */
  advance(ms: number): number {
    if (!(ms >= 0)) throw new RangeError(`advance needs a non-negative ms, got ${ms}`);
    const target = this.#now + ms;
    let fired = 0;
    for (let next = this.#next(target); next; next = this.#next(target)) {
      if (++fired > MAX_FIRINGS) throw new RangeError(`more than ${MAX_FIRINGS} timer firings in one advance`);
      this.#now = next.due;
      if (next.interval > 0) {
        next.due += next.interval;
        next.order = this.#order++;
      } else this.#live.delete(next);
      next.callback();
    }
    this.#now = target;
    return fired;
  }

  #add(callback: () => void, delay: number, interval: number): FakeTimer {
    const timer: FakeTimer = { due: this.#now + delay, interval, order: this.#order++, callback };
    this.#live.add(timer);
    return timer;
  }

  #next(limit: number): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const timer of this.#live) {
      if (timer.due > limit) continue;
      if (!best || timer.due < best.due || (timer.due === best.due && timer.order < best.order)) best = timer;
    }
    return best;
  }
}
