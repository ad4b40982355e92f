import type { OutboxEntry } from "./outbox.js";

/**
 * What the outbox keeps in RAM of its segments on flash, in time order: one
 * row per segment in typed-array columns (segment number, thinning level,
 * message count, acknowledged prefix, framed bytes), so a full outbox of 256
 * segments costs a few kilobytes of chunk memory and no XS slots per segment
 * (an object per segment cost about 5 slots: 1,200 slots of the ESP32's
 * slot heap at 256 segments). Only the loaded segments (the head, or those
 * with a message in flight) have their messages, in a small map by number.
 *
 * The rows are allocated once for `capacity` segments and double when a
 * burst of journal records outgrows them (rare: the outbox keeps at most
 * `maxSegments` closed segments plus the records of one segment's worth).
 * Throws RangeError for a capacity below 1.
 */
export class SegmentTable {
  /** Row i at [i * ROW, (i + 1) * ROW): segment number (high, low 16 bits), level, count, skip, bytes. */
  #rows: Uint16Array;
  #length = 0;
  /** Messages of the loaded segments, by segment number. */
  #entries = new Map<number, OutboxEntry[]>();

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`segment table capacity must be a positive integer, got ${capacity}`);
    this.#rows = new Uint16Array(capacity * ROW);
  }

  /** Rows in use. */
  get length(): number {
    return this.#length;
  }

  /** Segment number of row `i`. */
  n(i: number): number {
    return this.#rows[i * ROW] * 0x10000 + this.#rows[i * ROW + 1];
  }

  /** Thinning level of row `i` (1 message in 2^level of the original stream kept). */
  level(i: number): number {
    return this.#rows[i * ROW + 2];
  }

  /** Messages written in row `i`'s segment. */
  count(i: number): number {
    return this.#rows[i * ROW + 3];
  }

  /** Acknowledged prefix of row `i`. */
  skip(i: number): number {
    return this.#rows[i * ROW + 4];
  }

  setSkip(i: number, skip: number): void {
    this.#rows[i * ROW + 4] = skip;
  }

  /** Framed bytes of row `i`'s unacknowledged messages when written or loaded. */
  bytes(i: number): number {
    return this.#rows[i * ROW + 5];
  }

  /** The loaded messages of row `i`, or undefined while they wait on flash only. */
  entries(i: number): OutboxEntry[] | undefined {
    return this.#entries.get(this.n(i));
  }

  /** Keeps (or, with undefined, forgets) the loaded messages of row `i`. */
  setEntries(i: number, entries: OutboxEntry[] | undefined): void {
    if (entries) this.#entries.set(this.n(i), entries);
    else this.#entries.delete(this.n(i));
  }

  /** Row of segment `n`, or -1. */
  indexOf(n: number): number {
    for (let i = 0; i < this.#length; i++) if (this.n(i) === n) return i;
    return -1;
  }

  /** Inserts a row at `at` (0..length): segment `n` (u32), level, count, bytes, skip (u16 each). */
  insert(at: number, n: number, level: number, count: number, bytes: number, skip = 0, entries?: OutboxEntry[]): void {
    if ((this.#length + 1) * ROW > this.#rows.length) {
      const grown = new Uint16Array(this.#rows.length * 2);
      grown.set(this.#rows);
      this.#rows = grown;
    }
    this.#rows.copyWithin((at + 1) * ROW, at * ROW, this.#length * ROW);
    const o = at * ROW;
    this.#rows[o] = Math.floor(n / 0x10000);
    this.#rows[o + 1] = n % 0x10000;
    this.#rows[o + 2] = level;
    this.#rows[o + 3] = count;
    this.#rows[o + 4] = skip;
    this.#rows[o + 5] = bytes;
    this.#length++;
    if (entries) this.#entries.set(n, entries);
  }

  /** Appends a row. */
  push(n: number, level: number, count: number, bytes: number, skip = 0, entries?: OutboxEntry[]): void {
    this.insert(this.#length, n, level, count, bytes, skip, entries);
  }

  /** Removes `count` rows from `at` (their loaded messages too). */
  remove(at: number, count = 1): void {
    const end = Math.min(this.#length, at + count);
    for (let i = at; i < end; i++) this.#entries.delete(this.n(i));
    this.#rows.copyWithin(at * ROW, end * ROW, this.#length * ROW);
    this.#length -= end - at;
  }

  /** Removes every row. */
  clear(): void {
    this.#length = 0;
    this.#entries.clear();
  }
}

/** 16-bit words per row. */
const ROW = 6;
