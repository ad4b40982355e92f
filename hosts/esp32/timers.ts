import Timer from "timer";
import type { TimerHandle, Timers } from "../../modules/platform.js";

/**
 * Creates the port's timers on Moddable's `timer` module (`Timer.set`,
 * `Timer.repeat`, `Timer.clear`). An exception that escapes a callback goes
 * to `onError` instead of the XS host, where it would abort the board.
 * Clearing an unknown or fired handle is a no-op, as `Timer.clear` is.
 */
export function createTimers(onError: (error: unknown) => void): Timers {
  const guard = (callback: () => void) => () => {
    try {
      callback();
    } catch (error) {
      onError(error);
    }
  };
  return {
    once(callback: () => void, delayMs: number): TimerHandle {
      return Timer.set(guard(callback), delayMs);
    },
    repeat(callback: () => void, intervalMs: number): TimerHandle {
      return Timer.repeat(guard(callback), intervalMs);
    },
    clear(handle: TimerHandle | undefined): void {
      if (handle !== undefined) Timer.clear(handle as Timer);
    },
  };
}
