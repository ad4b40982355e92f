import type { Clock } from "../platform.js";

/** A wall-clock step (SNTP, a set) smaller than this keeps the offset taken before. */
export const BOOT_EPOCH_STEP_MS = 250;

/**
 * The wall-clock time of boot (epoch ms at monotonic 0), taken once and
 * kept: reading `wallTime()` and `monotonic()` one after the other lands a
 * millisecond tick between them now and then, and a stamp converted with
 * that offset would move by 1 ms from one pack to the next (a replay's last
 * row then lay 1 ms before its own time). The offset follows the wall clock
 * only when it steps by `BOOT_EPOCH_STEP_MS` or more; undefined while the
 * clock is not synchronised.
 */
export class BootEpoch {
  #clock: Clock;
  #offset: number | undefined;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Epoch ms at boot, or undefined while the wall clock is not synchronised. */
  get(): number | undefined {
    const wall = this.#clock.wallTime();
    if (wall === undefined) return (this.#offset = undefined);
    const fresh = wall - this.#clock.monotonic();
    if (this.#offset === undefined || Math.abs(fresh - this.#offset) >= BOOT_EPOCH_STEP_MS) this.#offset = fresh;
    return this.#offset;
  }
}
