import type { TimerHandle, Timers } from "../../modules/platform.js";

/** The platform's timers on Node's event loop. */
export const nodeTimers: Timers = {
  once(callback, delayMs) {
    return setTimeout(callback, Math.max(0, delayMs)) as unknown as TimerHandle;
  },
  repeat(callback, intervalMs) {
    return setInterval(callback, Math.max(1, intervalMs)) as unknown as TimerHandle;
  },
  clear(handle) {
    if (handle !== undefined) clearTimeout(handle as unknown as NodeJS.Timeout);
  },
};
