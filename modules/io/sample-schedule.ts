import type { Clock, TimerHandle, Timers } from "../platform.js";

/**
 * Calls `onDue` at start + k × interval (k = 1, 2, …), the due times fixed
 * from the start, never from when the last call ran: a timer that fires
 * late delays that one call only, so there is no drift over any run
 * (jitter is the timer's lateness, not accumulated). When a call comes
 * an interval or more after its due time, the due times already passed are
 * skipped (not called back to back) and counted in `skipped` and through
 * `onSkip`; the call then stands for the latest passed due time. One
 * `once` timer at a time. `onDue` gets the due time (monotonic ms); what it
 * throws is the caller's (Channels never throws), and the next call is
 * armed before it runs. A subclass may override `due` and `skip` instead of
 * passing callbacks (Channels does: no closures per channel on the ESP32's
 * slot heap). Throws RangeError for an interval that is not a positive
 * integer number of ms.
 */
export class SampleSchedule {
  readonly intervalMs: number;
  /** Due times skipped because the call came an interval or more late. */
  skipped = 0;
  #timers: Timers;
  #clock: Clock;
  #onDue: ((dueMs: number) => void) | undefined;
  #onSkip: ((count: number) => void) | undefined;
  #origin = 0;
  #k = 0;
  #timer: TimerHandle | undefined;
  #running = false;

  constructor(timers: Timers, clock: Clock, intervalMs: number, onDue?: (dueMs: number) => void, onSkip?: (count: number) => void) {
    if (!Number.isInteger(intervalMs) || intervalMs < 1) throw new RangeError(`sample interval must be a positive whole number of ms, got ${intervalMs}`);
    this.intervalMs = intervalMs;
    this.#timers = timers;
    this.#clock = clock;
    this.#onDue = onDue;
    this.#onSkip = onSkip;
  }

  /** True between start and stop. */
  get running(): boolean {
    return this.#running;
  }

  /** Starts (or restarts) the schedule: the first call is due one interval after now. */
  start(): void {
    this.stop();
    this.#running = true;
    this.#origin = this.#clock.monotonic();
    this.#k = 1;
    this.#arm();
  }

  /** Stops it; no call comes after, even one already due. */
  stop(): void {
    this.#running = false;
    this.#timers.clear(this.#timer);
    this.#timer = undefined;
  }

  /** A due time came (`onDue`). */
  protected due(dueMs: number): void {
    this.#onDue?.(dueMs);
  }

  /** `count` due times were skipped (`onSkip`). */
  protected skip(count: number): void {
    this.#onSkip?.(count);
  }

  #arm(): void {
    const due = this.#origin + this.#k * this.intervalMs;
    this.#timer = this.#timers.once(() => this.#fire(), Math.max(0, due - this.#clock.monotonic()));
  }

  #fire(): void {
    this.#timer = undefined;
    if (!this.#running) return;
    const late = this.#clock.monotonic() - (this.#origin + this.#k * this.intervalMs);
    const missed = late >= this.intervalMs ? Math.floor(late / this.intervalMs) : 0;
    if (missed > 0) {
      this.#k += missed;
      this.skipped += missed;
      this.skip(missed);
    }
    const due = this.#origin + this.#k * this.intervalMs;
    this.#k++;
    this.#arm();
    this.due(due);
  }
}
