import { TimerHeap, type HeapTimer } from "./timer-heap.js";

/** How a Scheduler's virtual time relates to the host's clock. */
export interface SchedulerOptions {
  /** Virtual ms per real ms (1: real time; 60: an hour a minute). Default 1. */
  speed?: number;
  /** The host's monotonic ms (default `performance.now`). */
  realNow?: () => number;
  /** Most timers fired in one go before the event loop gets a turn (sockets, stdin). Default 500. */
  burst?: number;
}

/** Who scheduled a timer: hears what its callback throws, and when a `once` timer is done. */
export interface TimerOwner {
  onError(error: unknown): void;
  /** Called as a `once` timer fires, before its callback. */
  forget(timer: ScheduledTimer): void;
}

/** A timer of the scheduler. */
export interface ScheduledTimer extends HeapTimer {
  /** 0 for `once`. */
  interval: number;
  callback: () => void;
  owner: TimerOwner;
}

/**
 * One virtual timeline and one timer heap, driven by one host timer: the
 * simulator's scheduler. A single node has its own; a fleet shares one among
 * all its nodes (each node's VirtualTime is a view on it), so N nodes cost
 * one host timer and O(log timers) per firing, not N host timers.
 *
 * Virtual time follows the host's clock times `speed`, but every timer fires
 * exactly at its virtual due time and sees `now()` equal to it while it runs
 * (ties in scheduling order, repeats without drift); between firings the
 * clock never runs past the next due timer, so it never goes backwards.
 * When the host falls behind, due timers fire back to back (at most `burst`
 * per turn of the event loop, then a setImmediate turn) until virtual time
 * catches up. Throws RangeError for a speed that is not a positive finite number.
 */
export class Scheduler {
  readonly speed: number;
  #realNow: () => number;
  #burst: number;
  #realStart: number;
  #now = 0;
  #order = 0;
  #heap = new TimerHeap<ScheduledTimer>();
  #host: ReturnType<typeof setTimeout> | undefined;
  #immediate: ReturnType<typeof setImmediate> | undefined;
  #hostDue = Number.POSITIVE_INFINITY;
  /** True while a callback runs: time stands at its due time. */
  #firing = false;
  /** Timers fired since start (all owners). */
  fired = 0;

  constructor(options: SchedulerOptions = {}) {
    const speed = options.speed ?? 1;
    if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`speed must be a positive number, got ${speed}`);
    this.speed = speed;
    this.#realNow = options.realNow ?? (() => performance.now());
    this.#burst = options.burst ?? 500;
    this.#realStart = this.#realNow();
  }

  /** Whole virtual ms since start: the host's elapsed time × speed, held at the next due timer until it has fired. */
  now(): number {
    if (this.#firing) return this.#now;
    let t = Math.floor((this.#realNow() - this.#realStart) * this.speed);
    const next = this.#heap.peek();
    if (next && next.due < t) t = next.due;
    if (t > this.#now) this.#now = t;
    return this.#now;
  }

  /** Runs `fn` now with time standing still, as if a timer fired; a nested call just runs it. */
  still<T>(fn: () => T): T {
    if (this.#firing) return fn();
    this.#now = this.now();
    this.#firing = true;
    try {
      return fn();
    } finally {
      this.#firing = false;
    }
  }

  /**
   * Virtual time jumps `ms` ahead with no timer firing on the way (one
   * callback blocked the loop that long): the timers that fell due fire
   * late, back to back, each seeing the new time. Throws RangeError for a
   * negative or non-finite `ms`.
   */
  stall(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`stall needs a non-negative ms, got ${ms}`);
    const now = this.now();
    this.#realStart -= ms / this.speed;
    this.#now = now + Math.floor(ms);
    this.#arm();
  }

  /** Schedules `callback` after `delay` virtual ms (then every `interval` when > 0). */
  add(callback: () => void, delay: number, interval: number, owner: TimerOwner): ScheduledTimer {
    const timer: ScheduledTimer = { due: this.now() + delay, order: this.#order++, cancelled: false, interval, callback, owner };
    this.#heap.push(timer);
    this.#arm();
    return timer;
  }

  cancel(timer: ScheduledTimer): void {
    this.#heap.cancel(timer);
  }

  /** How far (host ms) the earliest due timer is overdue: 0 while the scheduler keeps up with the host's clock. */
  behindMs(): number {
    const next = this.#heap.peek();
    if (!next) return 0;
    return Math.max(0, this.#realNow() - (this.#realStart + next.due / this.speed));
  }

  /** Timers waiting, all owners. */
  get pending(): number {
    return this.#heap.size;
  }

  /** Cancels every timer and stops the host timer. */
  close(): void {
    this.#heap.clear();
    this.#disarm();
  }

  /** Fires what is due by now (virtual), up to `burst`, then arms the host timer for the next. */
  #run(): void {
    this.#host = undefined;
    this.#immediate = undefined;
    this.#hostDue = Number.POSITIVE_INFINITY;
    const target = (this.#realNow() - this.#realStart) * this.speed;
    const heap = this.#heap;
    for (let fired = 0; fired < this.#burst; fired++) {
      const timer = heap.peek();
      if (!timer || timer.due > target) break;
      heap.pop();
      if (timer.due > this.#now) this.#now = timer.due;
      if (timer.interval > 0) {
        timer.due += timer.interval;
        timer.order = this.#order++;
        heap.push(timer);
      } else timer.owner.forget(timer);
      this.fired++;
      this.#firing = true;
      try {
        timer.callback();
      } catch (error) {
        timer.owner.onError(error);
      } finally {
        this.#firing = false;
      }
    }
    this.#arm();
  }

  /** One host timer, for the earliest due virtual timer (a setImmediate when virtual time is behind). */
  #arm(): void {
    const next = this.#heap.peek();
    if (!next) return;
    const realDue = this.#realStart + next.due / this.speed;
    if ((this.#host || this.#immediate) && realDue >= this.#hostDue) return;
    this.#disarm();
    this.#hostDue = realDue;
    const wait = realDue - this.#realNow();
    if (wait <= 0) this.#immediate = setImmediate(() => this.#run());
    // Rounded up: a host timer that fires a little early would find nothing due and spin.
    else this.#host = setTimeout(() => this.#run(), Math.ceil(wait));
  }

  #disarm(): void {
    if (this.#host) clearTimeout(this.#host);
    if (this.#immediate) clearImmediate(this.#immediate);
    this.#host = undefined;
    this.#immediate = undefined;
    this.#hostDue = Number.POSITIVE_INFINITY;
  }
}
