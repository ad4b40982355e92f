/// <reference path="./moddable-extras.d.ts" />
import Time from "time";
import Timer from "timer";
import type { Clock } from "../../modules/platform.js";

/** Wall times before 2024-01-01T00:00:00Z are taken as "never set". */
const PLAUSIBLE_EPOCH_MS = 1_704_067_200_000;

/** Longer than any boot before `main` runs: a larger first `Time.ticks` is not time since boot. */
const BOOT_TICKS_MAX = 600_000;

/** `Time.ticks` is a signed 32-bit count on the ESP32: unwrap it at least this often. */
const UNWRAP_INTERVAL_MS = 3_600_000;

/** The board's clock, plus the hook SNTP calls once it has set the time. */
export interface BoardClock extends Clock {
  /** Marks the wall clock as synchronised (SNTP answered and `Time.set` ran). */
  markSynchronised(): void;
}

/**
 * Creates the clock from Moddable's `time` module.
 *
 * `monotonic()` is `Time.ticks` unwrapped into a 53-bit count: on the ESP32
 * `Time.ticks` is the FreeRTOS tick count in ms cast to a signed 32-bit
 * integer, which goes negative after 24.8 days and wraps after 49.7 days; a
 * repeating timer samples it hourly so no wrap is ever missed.
 *
 * `wallTime()` is `Date.now()` once SNTP has set the time, or when the clock
 * already reads 2024 or later (mcsim, a soft restart that kept the RTC, or
 * the SDK's own `setup/network` SNTP); `undefined` before that.
 */
export function createClock(): BoardClock {
  let last = Time.ticks;
  // The ESP32 counts from boot, so the time before `main` is kept; mcsim's
  // ticks have an arbitrary origin, so a start beyond BOOT_TICKS_MAX is zeroed.
  let elapsed = last > 0 && last < BOOT_TICKS_MAX ? last : 0;
  let synchronised = false;

  const monotonic = (): number => {
    const now = Time.ticks;
    elapsed += (now - last) >>> 0;
    last = now;
    return elapsed;
  };
  Timer.repeat(() => void monotonic(), UNWRAP_INTERVAL_MS);

  return {
    monotonic,
    wallTime(): number | undefined {
      const now = Date.now();
      return synchronised || now >= PLAUSIBLE_EPOCH_MS ? now : undefined;
    },
    markSynchronised(): void {
      synchronised = true;
    },
  };
}
