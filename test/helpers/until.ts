/** Resolves once `check()` holds, polled every 2 ms on the real event loop (for code on real or virtual timers that the test cannot step). */
export function until(check: () => boolean): Promise<void> {
  return new Promise<void>((resolve) => {
    const poll = () => (check() ? resolve() : setTimeout(poll, 2));
    poll();
  });
}
