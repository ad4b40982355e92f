/**
 * The one fake clock of the tests (on Node and inside XS): a monotonic clock,
 * an optional wall clock, and `Timers`. Time moves only when the test says:
 * `advance(ms)` fires the timers that fall due on the way synchronously,
 * `advanceSettled(ms)` does the same and lets promise jobs run before and
 * after each firing (for firmware that awaits, e.g. a whole node in XS).
 * Timers fire at their due time in due-time order; ties fire in scheduling
 * order, and a repeat that fires is rescheduled behind the timers already
 * waiting for its next due time (as a real timer queue does).
 */
import type { Clock, TimerHandle, Timers } from "../../modules/platform.js";

interface FakeTimer {
  due: number;
  /** 0 for `once`. */
  interval: number;
  order: number;
  callback: () => void;
}

/** Throws after this many firings in one advance (a runaway repeat or zero-delay chain). */
const MAX_FIRINGS = 100_000;

/** Options of FakeTimers; every one has a default. */
export interface FakeTimersOptions {
  /** Monotonic ms at the start; default 0. */
  start?: number;
  /** Wall-clock ms at monotonic 0; default undefined (the clock is not synchronised). */
  wallTimeAtZero?: number;
  /** What `advanceSettled` awaits to let promise jobs run; default one microtask turn. */
  settle?: () => Promise<void>;
}

export class FakeTimers implements Timers, Clock {
  #now = 0;
  #order = 0;
  #live = new Set<FakeTimer>();
  #epochAtZero: number | undefined;
  #settle: () => Promise<void>;

  /** `new FakeTimers(start)` or `new FakeTimers({start, wallTimeAtZero, settle})`. */
  constructor(options: number | FakeTimersOptions = {}) {
    const o = typeof options === "number" ? { start: options } : options;
    this.#now = o.start ?? 0;
    this.#epochAtZero = o.wallTimeAtZero;
    this.#settle = o.settle ?? (() => Promise.resolve());
  }

  monotonic(): number {
    return this.#now;
  }

  /** Epoch ms, or undefined while not synchronised (the default). */
  wallTime(): number | undefined {
    return this.#epochAtZero === undefined ? undefined : this.#epochAtZero + this.#now;
  }

  /** Synchronises (or, with `undefined`, unsynchronises) the wall clock to `ms` now. */
  setWallTime(ms: number | undefined): void {
    this.#epochAtZero = ms === undefined ? undefined : ms - this.#now;
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
   * number of firings. Throws RangeError for a negative `ms` or after
   * 100,000 firings; a callback's exception propagates.
   */
  advance(ms: number): number {
    const target = this.#target(ms);
    let fired = 0;
    for (let next = this.#next(target); next; next = this.#next(target)) {
      fired = this.#fire(next, fired);
    }
    this.#now = target;
    return fired;
  }

  /**
   * Time passes by `ms` with no timer firing, as when one callback blocks
   * the loop that long; the timers that fell due on the way fire late, at
   * the next `advance`, each seeing the time then. Throws RangeError for a
   * negative `ms`.
   */
  stall(ms: number): void {
    this.#now = this.#target(ms);
  }

  /**
   * As `advance`, but awaits `settle` before the first firing and after each
   * one, so that promise jobs a callback queued run at its due time.
   * Resolves with the number of firings; rejects like `advance` throws.
   */
  async advanceSettled(ms: number): Promise<number> {
    const target = this.#target(ms);
    let fired = 0;
    await this.#settle();
    for (let next = this.#next(target); next; next = this.#next(target)) {
      fired = this.#fire(next, fired);
      await this.#settle();
    }
    this.#now = target;
    return fired;
  }

  #target(ms: number): number {
    if (!(ms >= 0)) throw new RangeError(`advance needs a non-negative ms, got ${ms}`);
    return this.#now + ms;
  }

  #fire(timer: FakeTimer, fired: number): number {
    if (++fired > MAX_FIRINGS) throw new RangeError(`more than ${MAX_FIRINGS} timer firings in one advance`);
    // A timer overdue after a stall fires at the time now, never earlier.
    if (timer.due > this.#now) this.#now = timer.due;
    if (timer.interval > 0) {
      timer.due += timer.interval;
      timer.order = this.#order++;
    } else this.#live.delete(timer);
    timer.callback();
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
