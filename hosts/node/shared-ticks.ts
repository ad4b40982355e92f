/**
 * Periodic checks of many objects on one host timer per period: `add(ms, fn)`
 * runs `fn` every `ms` from the same `setInterval` as every other check of
 * that period, and returns the function that takes it out again (the last
 * one out clears the interval). The MQTT transport's keepalive checks use it,
 * so a fleet of 10,000 connections costs one 1 s timer, not 10,000. A check
 * that throws is reported through `onError` (default: a process warning)
 * and the others still run.
 */
export class SharedTicks {
  #periods = new Map<number, { timer: ReturnType<typeof setInterval>; checks: Set<() => void> }>();
  onError: (error: unknown) => void = (error) => process.emitWarning(`periodic check threw: ${String(error)}`);

  /** Runs `fn` every `ms` (at least 1); returns its remover. */
  add(ms: number, fn: () => void): () => void {
    const period = Math.max(1, Math.round(ms));
    let group = this.#periods.get(period);
    if (!group) {
      const checks = new Set<() => void>();
      group = { checks, timer: setInterval(() => this.#run(checks), period) };
      this.#periods.set(period, group);
    }
    // Each check gets its own entry, so one function added twice is removed one at a time.
    const entry = () => fn();
    group.checks.add(entry);
    return () => this.#remove(period, entry);
  }

  /** Checks registered, all periods. */
  get size(): number {
    let n = 0;
    for (const group of this.#periods.values()) n += group.checks.size;
    return n;
  }

  /** Host timers running (one per period in use). */
  get timers(): number {
    return this.#periods.size;
  }

  #remove(period: number, entry: () => void): void {
    const group = this.#periods.get(period);
    if (!group || !group.checks.delete(entry) || group.checks.size > 0) return;
    clearInterval(group.timer);
    this.#periods.delete(period);
  }

  #run(checks: Set<() => void>): void {
    for (const check of checks) {
      try {
        check();
      } catch (error) {
        this.onError(error);
      }
    }
  }
}
