import type { TimerHandle, Timers } from "../platform.js";

/** Longest a clean stop waits for the broker's PUBACKs before it disconnects, ms. */
export const STOP_ACK_WAIT_MS = 2000;

/**
 * Waits, bounded, until `settled()` holds — for a clean stop: the outbox
 * holds nothing unacknowledged, or the link is down — so that a stop does
 * not leave behind packs the broker already has (the next boot would send
 * them again: duplicates at the receiver). `settled` is checked at once and
 * then each time `watch` reports a change (a PUBACK, the link closing);
 * resolves `true` when settled, `false` when `maxMs` (default
 * STOP_ACK_WAIT_MS) on the platform timers ran out. A `settled` that throws
 * counts as settled. Never rejects.
 *
 * `watch(listener)` registers a listener for changes and returns the
 * function that removes it.
 */
export function settleUplink(timers: Timers, settled: () => boolean, watch: (listener: () => void) => () => void,
  maxMs = STOP_ACK_WAIT_MS): Promise<boolean> {
  const check = (): boolean => {
    try {
      return settled();
    } catch {
      return true;
    }
  };
  if (check()) return Promise.resolve(true);
  return new Promise((resolve) => {
    let unwatch: (() => void) | undefined;
    let deadline: TimerHandle | undefined;
    const finish = (result: boolean) => {
      unwatch?.();
      timers.clear(deadline);
      resolve(result);
    };
    deadline = timers.once(() => finish(check()), maxMs);
    unwatch = watch(() => {
      if (check()) finish(true);
    });
  });
}
