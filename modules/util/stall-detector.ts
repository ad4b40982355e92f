import type { Clock, TimerHandle, Timers, Watchdog } from "../platform.js";

/** How often a detector looks for a missing feed, as a fraction of its timeout (10: every tenth). */
const CHECKS_PER_TIMEOUT = 10;

/**
 * A watchdog in software, the portable model of a hardware one: armed by
 * `start`, fed by `feed`; it fires `onStall(stalledMs)` once when
 * `timeoutMs` pass without a feed, found either by its own check (every
 * tenth of the timeout, on `timers`) or by a feed that comes too late (the
 * loop was blocked past the timeout, when a hardware watchdog would have
 * fired in between). After firing it stays disarmed. The simulator's
 * watchdog (and the ESP32 host's, over the firmware's loop) is one of these;
 * time is the host's `clock` and `timers`, so virtual time drives it in tests.
 * Throws RangeError for a timeout that is not a positive number of ms.
 */
export class StallDetector implements Watchdog {
  readonly timeoutMs: number;
  #clock: Clock;
  #timers: Timers;
  #onStall: (stalledMs: number) => void;
  #check: TimerHandle | undefined;
  #lastFeed = 0;
  #armed = false;

  constructor(clock: Clock, timers: Timers, timeoutMs: number, onStall: (stalledMs: number) => void) {
    if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) throw new RangeError(`watchdog timeout must be a positive number of ms, got ${timeoutMs}`);
    this.timeoutMs = timeoutMs;
    this.#clock = clock;
    this.#timers = timers;
    this.#onStall = onStall;
  }

  /** True between `start` and `stop` (or firing). */
  get armed(): boolean {
    return this.#armed;
  }

  start(): void {
    this.stop();
    this.#armed = true;
    this.#lastFeed = this.#clock.monotonic();
    this.#check = this.#timers.repeat(() => this.#look(), Math.max(1, Math.floor(this.timeoutMs / CHECKS_PER_TIMEOUT)));
  }

  feed(): void {
    if (!this.#armed) return;
    if (!this.#look()) return;
    this.#lastFeed = this.#clock.monotonic();
  }

  stop(): void {
    this.#armed = false;
    if (this.#check !== undefined) this.#timers.clear(this.#check);
    this.#check = undefined;
  }

  /** Fires when the last feed is older than the timeout; returns whether it is still armed. */
  #look(): boolean {
    if (!this.#armed) return false;
    const stalled = this.#clock.monotonic() - this.#lastFeed;
    if (stalled <= this.timeoutMs) return true;
    this.stop();
    this.#onStall(stalled);
    return false;
  }
}
