import type { ChannelColumns } from "./channel-columns.js";
import type { ReadingMeta, ReadingRows } from "./reading-rows.js";

/**
 * Several channels' columns read as one set of rows, without copying a
 * reading: first in the order they were joined (channel after channel),
 * then, after `sortByTime`, by time (stable: a channel's rows, and the
 * channels joined first, come first at equal times). Each row is a 32-bit
 * reference (part << 16 | row in part), 4 bytes of chunk a reading. At most
 * 65,536 parts of 65,536 rows.
 */
export class JoinedRows implements ReadingRows {
  readonly serial: number;
  length = 0;
  #parts: ChannelColumns[] = [];
  #refs: Uint32Array = new Uint32Array(0);

  constructor(serial: number) {
    this.serial = serial;
  }

  /** Appends all rows of `part` (the serial stays: earlier rows are unchanged). */
  join(part: ChannelColumns): void {
    const p = this.#parts.length;
    this.#parts.push(part);
    const refs = new Uint32Array(this.length + part.length);
    refs.set(this.#refs.subarray(0, this.length));
    for (let i = 0; i < part.length; i++) refs[this.length + i] = ((p << 16) | i) >>> 0;
    this.#refs = refs;
    this.length = refs.length;
  }

  /** Takes back the part joined last. */
  unjoin(): void {
    const part = this.#parts.pop();
    if (part) this.length -= part.length;
  }

  /** Orders the rows by time, stably; returns this. */
  sortByTime(): this {
    const refs = this.#refs.subarray(0, this.length);
    // A ref's number is its place in join order: the tie-break that makes the sort stable on any engine.
    refs.sort((a, b) => this.#time(a) - this.#time(b) || a - b);
    return this;
  }

  time(i: number): number {
    return this.#time(this.#refs[i]);
  }

  value(i: number): number {
    const ref = this.#refs[i];
    return this.#parts[ref >>> 16].value(ref & 0xffff);
  }

  meta(i: number): ReadingMeta {
    const ref = this.#refs[i];
    return this.#parts[ref >>> 16].meta(ref & 0xffff);
  }

  #time(ref: number): number {
    return this.#parts[ref >>> 16].time(ref & 0xffff);
  }
}
