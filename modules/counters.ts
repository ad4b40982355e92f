/**
 * Named event counters the node reports in `status` and over MQTT: every
 * bound, fault and retry in the firmware counts here, so nothing is silent.
 */
export class Counters {
  #values = new Map<string, number>();

  /** Adds `by` (default 1) to counter `name`. */
  add(name: string, by = 1): void {
    this.#values.set(name, (this.#values.get(name) ?? 0) + by);
  }

  get(name: string): number {
    return this.#values.get(name) ?? 0;
  }

  /** All counters, sorted by name. */
  entries(): [string, number][] {
    return [...this.#values.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
}
