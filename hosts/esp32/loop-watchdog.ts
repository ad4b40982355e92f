import Preference from "preference";
import type { Clock, Timers, Watchdog } from "../../modules/platform.js";
import { StallDetector } from "../../modules/util/stall-detector.js";

/**
 * The loop watchdog's timeout: three times the ESP-IDF task watchdog's 10 s
 * (sdkconfig.defaults: CONFIG_ESP_TASK_WDT_TIMEOUT_S). A handler that blocks
 * is the task watchdog's to catch; were this one as short, a handler that
 * blocks just under 10 s (and the up to 1 s since the loop's last feed)
 * would restart the board where the task watchdog lets it live.
 */
export const LOOP_WATCHDOG_MS = 30_000;
/** NVS domain and key of the mark a loop-watchdog restart leaves for the next boot (names of at most 15 characters). */
const MARK_DOMAIN = "fnwdt";
const MARK_KEY = "trip";

/**
 * The board's watchdog on the firmware's main loop. The Moddable SDK has no
 * JavaScript API for the ESP-IDF task watchdog: it resets the watchdog of
 * the XS task itself, in `modMessageService` on every message it dispatches
 * (xs/platforms/esp/xsHost.c, `modWatchDogReset()` = `esp_task_wdt_reset()`),
 * so the task watchdog catches a handler that blocks, not a firmware loop
 * that stops turning while the SDK's loop goes on. This one does the
 * latter without native code: a StallDetector on the SDK's timers that the
 * firmware's loop feeds; when no feed comes for LOOP_WATCHDOG_MS it leaves
 * a mark in NVS and restarts the board (`restart`, System.restart), and the
 * next boot reports reset reason "watchdog" (`takeWatchdogMark`).
 */
export function espLoopWatchdog(clock: Clock, timers: Timers, restart: () => void, log: (line: string) => void): Watchdog {
  return new StallDetector(clock, timers, LOOP_WATCHDOG_MS, (stalledMs) => {
    try {
      Preference.set(MARK_DOMAIN, MARK_KEY, 1);
    } catch (error) {
      log(`watchdog: cannot leave the reset mark in NVS: ${(error as Error).message}`);
    }
    log(`watchdog: the main loop was not fed for ${stalledMs} ms (timeout ${LOOP_WATCHDOG_MS} ms): restarting`);
    restart();
  });
}

/** True once after a loop-watchdog restart: reads and clears its NVS mark. Never throws. */
export function takeWatchdogMark(): boolean {
  try {
    const mark = Preference.get(MARK_DOMAIN, MARK_KEY);
    if (mark === undefined) return false;
    Preference.delete(MARK_DOMAIN, MARK_KEY);
    return true;
  } catch {
    return false;
  }
}
