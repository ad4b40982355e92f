/** Faults of a contact (a relay's auxiliary contact, a door switch, a level switch). */
export interface ContactFaults {
  /** The contact is stuck at this level whatever the machine does. */
  stuck?: 0 | 1;
  /** After each change the contact chatters for this long, ms (reads alternate every ms). */
  bounceMs?: number;
}

/**
 * A mechanical contact following `level()` (the machine's state, 0/1) as a
 * digital input pin sees it, with stuck and bounce faults, in the time of
 * `now()` (monotonic ms), so debounce runs in virtual time.
 */
export class ContactModel {
  readonly faults: ContactFaults = {};
  #now: () => number;
  #level: () => number;
  #last: number | undefined;
  #changedAt = Number.NEGATIVE_INFINITY;

  constructor(now: () => number, level: () => number) {
    this.#now = now;
    this.#level = level;
  }

  /** The level at the pin now. */
  read(): number {
    if (this.faults.stuck !== undefined) return this.faults.stuck;
    const level = this.#level() ? 1 : 0;
    const now = this.#now();
    if (this.#last !== undefined && level !== this.#last) this.#changedAt = now;
    this.#last = level;
    const since = now - this.#changedAt;
    if (this.faults.bounceMs && since < this.faults.bounceMs) return Math.floor(since) % 2 ? level : 1 - level;
    return level;
  }
}
