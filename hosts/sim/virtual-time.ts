import type { Clock, TimerHandle, Timers } from "../../modules/platform.js";

/** The simulator's clock and timers run `speed` times faster than the host's clock. */
export interface VirtualTimeOptions {
  /** Virtual ms per real ms (1: real time; 60: an hour a minute). Default 1. */
  speed?: number;
  /** The host's monotonic ms (default `performance.now`). */
  realNow?: () => number;
  /** Most timers fired in one go before the event loop gets a turn (sockets, stdin). Default 500. */
  burst?: number;
}

interface VirtualTimer {
  due: number;
  /** 0 for `once`. */
  interval: number;
  order: number;
  callback: () => void;
}

/**
 * Virtual time for the simulator: the Platform's clock and timers, driven by
 * one host timer. Virtual time follows the host's clock times `speed`, but
 * every timer fires exactly at its virtual due time and sees `monotonic()`
 * equal to it while it runs (ties in scheduling order, repeats without
 * drift; a timer set from a callback counts from that due time), so
 * timestamps are exact at any speed; between firings the clock never runs
 * past the next due timer, so it never goes backwards. When the host falls
 * behind, due timers fire back to back (at most `burst` per turn of the event
 * loop) until virtual time catches up. A callback that throws is reported to
 * `onError` and does not stop the others.
 */
export class VirtualTime implements Clock, Timers {
  readonly speed: number;
  /** Called with what a timer callback threw (default: rethrown on a later turn, as Node timers do). */
  onError: (error: unknown) => void = (error) => queueMicrotask(() => { throw error; });
  #realNow: () => number;
  #burst: number;
  #realStart: number;
  #now = 0;
  #order = 0;
  #live = new Set<VirtualTimer>();
  #host: ReturnType<typeof setTimeout> | undefined;
  #hostDue = Number.POSITIVE_INFINITY;
  #epochAtZero: number;
  /** True while a callback runs: time stands at its due time. */
  #firing = false;
  #syncAfterMs: number;

  /** Throws RangeError for a speed that is not a positive finite number. */
  constructor(options: VirtualTimeOptions & { epochMs?: number; syncAfterMs?: number } = {}) {
    const speed = options.speed ?? 1;
    if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`speed must be a positive number, got ${speed}`);
    this.speed = speed;
    this.#realNow = options.realNow ?? (() => performance.now());
    this.#burst = options.burst ?? 500;
    this.#realStart = this.#realNow();
    this.#epochAtZero = options.epochMs ?? Date.now();
    this.#syncAfterMs = options.syncAfterMs ?? 0;
  }

  /** Whole virtual ms since start: the host's elapsed time × speed, held at the next due timer until it has fired. */
  monotonic(): number {
    if (this.#firing) return this.#now;
    let t = Math.floor((this.#realNow() - this.#realStart) * this.speed);
    const next = this.#next(Number.POSITIVE_INFINITY);
    if (next && next.due < t) t = next.due;
    if (t > this.#now) this.#now = t;
    return this.#now;
  }

  /** Epoch ms in virtual time (start's wall clock + virtual elapsed), undefined before `syncAfterMs`. */
  wallTime(): number | undefined {
    const now = this.monotonic();
    return now < this.#syncAfterMs ? undefined : this.#epochAtZero + now;
  }

  /**
   * Runs `fn` now with time standing still, as if a timer fired (the
   * simulator boots the firmware so: every channel starts at one instant).
   * Returns what `fn` returns; a nested call just runs it.
   */
  still<T>(fn: () => T): T {
    if (this.#firing) return fn();
    this.#now = this.monotonic();
    this.#firing = true;
    try {
      return fn();
    } finally {
      this.#firing = false;
    }
  }

  /**
   * Virtual time jumps `ms` ahead with no timer firing on the way, as when
   * one callback blocks the loop that long (the simulator's `sim stall`):
   * the timers that fell due fire late, back to back, each seeing the new
   * time. Throws RangeError for a negative or non-finite `ms`.
   */
  stall(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`stall needs a non-negative ms, got ${ms}`);
    const now = this.monotonic();
    this.#realStart -= ms / this.speed;
    this.#now = now + Math.floor(ms);
    this.#arm();
  }

  once(callback: () => void, delayMs: number): TimerHandle {
    return this.#add(callback, Math.max(0, delayMs), 0);
  }

  repeat(callback: () => void, intervalMs: number): TimerHandle {
    return this.#add(callback, Math.max(1, intervalMs), Math.max(1, intervalMs));
  }

  clear(handle: TimerHandle | undefined): void {
    if (handle === undefined) return;
    this.#live.delete(handle as VirtualTimer);
  }

  /** Timers waiting. */
  get pending(): number {
    return this.#live.size;
  }

  /** Stops the host timer; timers stay registered but nothing fires until another is scheduled. */
  close(): void {
    if (this.#host) clearTimeout(this.#host);
    this.#host = undefined;
    this.#hostDue = Number.POSITIVE_INFINITY;
    this.#live.clear();
  }

  #add(callback: () => void, delay: number, interval: number): VirtualTimer {
    const timer: VirtualTimer = { due: this.monotonic() + delay, interval, order: this.#order++, callback };
    this.#live.add(timer);
    this.#arm();
    return timer;
  }

  /** Fires what is due by now (virtual), up to `burst`, then arms the host timer for the next. */
  #run(): void {
    this.#host = undefined;
    this.#hostDue = Number.POSITIVE_INFINITY;
    const target = (this.#realNow() - this.#realStart) * this.speed;
    for (let fired = 0; fired < this.#burst; fired++) {
      const timer = this.#next(target);
      if (!timer) break;
      if (timer.due > this.#now) this.#now = timer.due;
      if (timer.interval > 0) {
        timer.due += timer.interval;
        timer.order = this.#order++;
      } else this.#live.delete(timer);
      this.#firing = true;
      try {
        timer.callback();
      } catch (error) {
        this.onError(error);
      } finally {
        this.#firing = false;
      }
    }
    this.#arm();
  }

  /** One host timer, for the earliest due virtual timer (at once when virtual time is behind). */
  #arm(): void {
    const next = this.#next(Number.POSITIVE_INFINITY);
    if (!next) return;
    const realDue = this.#realStart + next.due / this.speed;
    if (this.#host && realDue >= this.#hostDue) return;
    if (this.#host) clearTimeout(this.#host);
    this.#hostDue = realDue;
    const wait = Math.max(0, realDue - this.#realNow());
    // Rounded up: a host timer that fires a little early would find nothing due and spin.
    this.#host = setTimeout(() => this.#run(), Math.ceil(wait));
  }

  #next(limit: number): VirtualTimer | undefined {
    let best: VirtualTimer | undefined;
    for (const timer of this.#live) {
      if (timer.due > limit) continue;
      if (!best || timer.due < best.due || (timer.due === best.due && timer.order < best.order)) best = timer;
    }
    return best;
  }
}
