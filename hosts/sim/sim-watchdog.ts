import type { Clock, Timers, Watchdog } from "../../modules/platform.js";
import { StallDetector } from "../../modules/util/stall-detector.js";

/** The simulator's watchdog timeout: the board's task watchdog's (hosts/esp32/sdkconfig: CONFIG_ESP_TASK_WDT_TIMEOUT_S=10). */
export const SIM_WATCHDOG_MS = 10_000;

/**
 * The simulator's watchdog on the firmware's main loop: a StallDetector on
 * the boot's clock and the virtual timers. When the loop has not fed it for
 * `timeoutMs` of virtual time it says so in one line and calls `reset`
 * with "watchdog" (the simulator then restarts the firmware, whose next
 * boot reports that reason). A callback takes no virtual time, so what it
 * catches is a loop that stops turning or time that passes while it is
 * blocked (`sim stall`), not a slow host.
 */
export function simWatchdog(clock: Clock, timers: Timers, say: (line: string) => void, reset: (reason: string) => void, timeoutMs = SIM_WATCHDOG_MS): Watchdog {
  return new StallDetector(clock, timers, timeoutMs, (stalledMs) => {
    say(`watchdog: the main loop was not fed for ${stalledMs} ms (timeout ${timeoutMs} ms): reset`);
    reset("watchdog");
  });
}
