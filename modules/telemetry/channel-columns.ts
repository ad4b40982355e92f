import type { Reading } from "../io/reading.js";
import type { ReadingMeta, ReadingRows } from "./reading-rows.js";

/** Rows added to the columns' capacity at a time. */
export const COLUMNS_STEP = 64;

/**
 * One channel's readings waiting for a pack, stored compactly: times and
 * values in one `Float64Array`, side by side (16 bytes of chunk a reading,
 * no object),
 * and one `ReadingMeta` per run of consecutive readings with the same unit,
 * quality, reason and tolerance (usually one for the whole batch). The
 * capacity grows by `COLUMNS_STEP` rows at a time and is kept across
 * `clear`, so a channel reuses its columns pack after pack. Rows only grow
 * at the end (`push`); `pop` takes back the last one (the Batcher's "would
 * one more still fit?"). A bad reading's value is stored as NaN.
 */
export class ChannelColumns implements ReadingRows {
  length = 0;
  serial: number;
  /** Row i's time at 2i, its value at 2i + 1. */
  #data: Float64Array;
  /** Each run's meta and its first row, in row order. */
  #runMeta: ReadingMeta[] = [];
  #runStart: number[] = [];

  constructor(serial: number, capacity = COLUMNS_STEP) {
    this.serial = serial;
    this.#data = new Float64Array(2 * capacity);
  }

  /** Rows the columns hold before they grow. */
  get capacity(): number {
    return this.#data.length >> 1;
  }

  /** Appends a reading (its time, value and, when its meta differs from the last run's, a new run). */
  push(reading: Reading): void {
    const i = this.length;
    if (2 * i === this.#data.length) this.#grow();
    this.#data[2 * i] = reading.at;
    this.#data[2 * i + 1] = reading.quality === "bad" ? NaN : reading.value;
    const last = this.#runMeta[this.#runMeta.length - 1];
    if (!last || last.unit !== reading.unit || last.quality !== reading.quality || last.reason !== reading.reason || last.tolerance !== reading.tolerance || last.channel !== reading.channel) {
      const meta: ReadingMeta = { channel: reading.channel, unit: reading.unit, quality: reading.quality, reason: reading.reason, tolerance: reading.tolerance } as ReadingMeta;
      this.#runMeta.push(meta);
      this.#runStart.push(i);
    }
    this.length = i + 1;
  }

  /** Takes back the last row (nothing when empty); the serial stays (rows 0..length-1 are unchanged). */
  pop(): void {
    if (this.length === 0) return;
    this.length--;
    if (this.#runStart[this.#runStart.length - 1] === this.length) {
      this.#runStart.pop();
      this.#runMeta.pop();
    }
  }

  /** Empties the columns (capacity kept) under a new serial. */
  clear(serial: number): void {
    this.length = 0;
    this.serial = serial;
    this.#runMeta.length = 0;
    this.#runStart.length = 0;
  }

  time(i: number): number {
    return this.#data[2 * i];
  }

  value(i: number): number {
    return this.#data[2 * i + 1];
  }

  meta(i: number): ReadingMeta {
    const starts = this.#runStart;
    // The last run whose first row is at or before i (binary search: runs are few, rows many).
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    return this.#runMeta[lo];
  }

  #grow(): void {
    const data = new Float64Array(this.#data.length + 2 * COLUMNS_STEP);
    data.set(this.#data);
    this.#data = data;
  }
}
