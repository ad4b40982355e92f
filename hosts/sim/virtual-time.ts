import type { Clock, TimerHandle, Timers } from "../../modules/platform.js";
import { Scheduler, type ScheduledTimer, type SchedulerOptions, type TimerOwner } from "./scheduler.js";

/** The simulator's clock and timers run `speed` times faster than the host's clock. */
export interface VirtualTimeOptions extends SchedulerOptions {
  /** The scheduler to run on (a fleet's shared one); default: a scheduler of its own from `speed`, `realNow`, `burst`. */
  scheduler?: Scheduler;
  /** Epoch ms at virtual 0 (default: the host's wall clock now). */
  epochMs?: number;
  /** wallTime() is undefined for this many virtual ms (default 0). */
  syncAfterMs?: number;
}

/**
 * One node's virtual time, the Platform's clock and timers: a view on a
 * Scheduler (hosts/sim/scheduler.ts: one timeline, one timer heap, one host
 * timer). Timers fire exactly at their virtual due time and see
 * `monotonic()` equal to it (see Scheduler); a timer set from a callback
 * counts from that due time. A callback that throws is reported to this
 * view's `onError` and does not stop the others. `close` cancels this view's
 * timers only, so one node of a fleet can stop while the rest run on.
 * Throws RangeError for a bad speed (when it makes its own scheduler).
 */
export class VirtualTime implements Clock, Timers, TimerOwner {
  readonly speed: number;
  readonly scheduler: Scheduler;
  /** Called with what a timer callback threw (default: rethrown on a later turn, as Node timers do). */
  onError: (error: unknown) => void = (error) => queueMicrotask(() => { throw error; });
  #own: boolean;
  #live = new Set<ScheduledTimer>();
  #epochAtZero: number;
  #syncAfterMs: number;

  constructor(options: VirtualTimeOptions = {}) {
    this.#own = options.scheduler === undefined;
    this.scheduler = options.scheduler ?? new Scheduler(options);
    this.speed = this.scheduler.speed;
    this.#epochAtZero = options.epochMs ?? Date.now();
    this.#syncAfterMs = options.syncAfterMs ?? 0;
  }

  /** Whole virtual ms since the scheduler started, held at the next due timer until it has fired. */
  monotonic(): number {
    return this.scheduler.now();
  }

  /** Epoch ms in virtual time (start's wall clock + virtual elapsed), undefined before `syncAfterMs`. */
  wallTime(): number | undefined {
    const now = this.scheduler.now();
    return now < this.#syncAfterMs ? undefined : this.#epochAtZero + now;
  }

  /**
   * Runs `fn` now with time standing still, as if a timer fired (the
   * simulator boots the firmware so: every channel starts at one instant).
   * Returns what `fn` returns; a nested call just runs it.
   */
  still<T>(fn: () => T): T {
    return this.scheduler.still(fn);
  }

  /**
   * Virtual time jumps `ms` ahead with no timer firing on the way, as when
   * one callback blocks the loop that long (the simulator's `sim stall`):
   * the timers that fell due fire late, back to back, each seeing the new
   * time. The whole scheduler jumps: on a fleet's shared one, every node
   * (one loop blocked stalls them all). Throws RangeError for a negative or
   * non-finite `ms`.
   */
  stall(ms: number): void {
    this.scheduler.stall(ms);
  }

  once(callback: () => void, delayMs: number): TimerHandle {
    const timer = this.scheduler.add(callback, Math.max(0, delayMs), 0, this);
    this.#live.add(timer);
    return timer;
  }

  repeat(callback: () => void, intervalMs: number): TimerHandle {
    const interval = Math.max(1, intervalMs);
    const timer = this.scheduler.add(callback, interval, interval, this);
    this.#live.add(timer);
    return timer;
  }

  clear(handle: TimerHandle | undefined): void {
    if (handle === undefined || !this.#live.delete(handle as ScheduledTimer)) return;
    this.scheduler.cancel(handle as ScheduledTimer);
  }

  /** The scheduler's note that a `once` timer of this view fires (it is no longer this view's to cancel). */
  forget(timer: ScheduledTimer): void {
    this.#live.delete(timer);
  }

  /** This view's timers waiting. */
  get pending(): number {
    return this.#live.size;
  }

  /** Cancels this view's timers (and stops the scheduler's host timer when the scheduler is its own). */
  close(): void {
    for (const timer of this.#live) this.scheduler.cancel(timer);
    this.#live.clear();
    if (this.#own) this.scheduler.close();
  }
}
