import type { Reading } from "../io/reading.js";
import type { Platform, TimerHandle } from "../platform.js";
import { ChannelColumns, COLUMNS_STEP } from "./channel-columns.js";
import { JoinedRows } from "./joined-rows.js";
import type { ReadingRows } from "./reading-rows.js";

/** The readings of one channel waiting for a pack, and when the first came. */
interface ChannelQueue {
  channel: string;
  rows: ChannelColumns;
  since: number;
}

/** Emptied queues kept for reuse (columns grown beyond `COLUMNS_STEP` rows), at most. */
const SPARE_MAX = 16;

/**
 * Collects readings into batches (one batch = one telemetry pack), channel
 * by channel, so that a channel that reports much fills packs of its own
 * (a pack names each channel and its unit once: the fewer channels share
 * it, the fewer bytes per reading):
 *
 * - **size**: when a channel's waiting readings and the next one of it
 *   would make one pack too big (`fits` says no), that channel's readings
 *   close as a pack of their own;
 * - **count**: when `batchSize` readings wait in all, all close;
 * - **age**: when a channel's first waiting reading is `maxAgeMs` old, it
 *   closes, in a pack filled up with the channels that waited longest next
 *   (whole, while `fits` agrees); the others keep waiting, each at most
 *   `maxAgeMs` from its first reading.
 *
 * Closing all (count, `flush`) makes as few packs as fit (whole channels
 * joined while `fits` agrees); each pack's readings are in time order. So
 * sparse channels ride along with busy ones. With one channel, or `batchSize` small enough
 * that no channel fills a pack, this is one pack of everything waiting, as
 * before. Memory: at most `batchSize` readings wait (the overflow policy is
 * the count close), stored compactly (channel-columns.ts: 16 bytes a
 * reading, one record per run of equal channel, unit, quality, reason and
 * tolerance); `fits` and `onBatch` get views of them (`ReadingRows`, valid
 * until they return), never an object per reading, and `fits` is asked
 * about the waiting rows plus one more without a copy. Throws RangeError for a bad option (`configure` too).
 */
export class Batcher {
  #platform: Platform;
  #batchSize: number;
  #maxAgeMs: number;
  #queues = new Map<string, ChannelQueue>();
  #spare: ChannelQueue[] = [];
  #serial = 0;
  #count = 0;
  #timer: TimerHandle | undefined;
  #onBatch: (rows: ReadingRows) => void;
  #fits: (rows: ReadingRows) => boolean;

  constructor(platform: Platform, options: { batchSize: number; maxAgeMs: number; fits?: (rows: ReadingRows) => boolean },
    onBatch: (rows: ReadingRows) => void) {
    checkLimits(options);
    this.#platform = platform;
    this.#batchSize = options.batchSize;
    this.#maxAgeMs = options.maxAgeMs;
    this.#onBatch = onBatch;
    this.#fits = options.fits ?? (() => true);
  }

  /**
   * Changes the limits live (config keys telemetry.batch_size and
   * telemetry.max_interval): what waits closes now when it already holds
   * `batchSize` readings, and the age timer restarts with the new
   * `maxAgeMs` counted from now. Throws RangeError (changing nothing) for a
   * bad value.
   */
  configure(limits: Partial<{ batchSize: number; maxAgeMs: number }>): void {
    const next = { batchSize: limits.batchSize ?? this.#batchSize, maxAgeMs: limits.maxAgeMs ?? this.#maxAgeMs };
    checkLimits(next);
    this.#batchSize = next.batchSize;
    this.#maxAgeMs = next.maxAgeMs;
    if (this.#count >= this.#batchSize) return this.flush();
    if (this.#timer === undefined) return;
    const now = this.#platform.clock.monotonic();
    for (const queue of this.#queues.values()) queue.since = now;
    this.#arm();
  }

  add(reading: Reading): void {
    let queue = this.#queues.get(reading.channel);
    if (queue) {
      // The waiting rows plus this one, asked in place: pushed, and taken back when they would not fit.
      queue.rows.push(reading);
      if (this.#fits(queue.rows)) {
        this.#count++;
        return this.#added();
      }
      queue.rows.pop();
      this.#queues.delete(reading.channel);
      this.#count -= queue.rows.length;
      this.#arm();
      this.#emit([queue], queue.rows);
      queue = this.#queues.get(reading.channel);
    }
    if (!queue) this.#queues.set(reading.channel, (queue = this.#queue(reading.channel)));
    queue.rows.push(reading);
    this.#count++;
    this.#added();
  }

  /** Closes everything waiting now, in as few packs as fit (no-op when empty). */
  flush(): void {
    this.#platform.timers.clear(this.#timer);
    this.#timer = undefined;
    if (this.#count === 0) return;
    const queues = [...this.#queues.values()];
    this.#queues = new Map();
    this.#count = 0;
    let batch: ChannelQueue[] = [];
    let rows = new JoinedRows(++this.#serial);
    for (const queue of queues) {
      rows.join(queue.rows);
      if (batch.length === 0 || this.#fits(rows)) batch.push(queue);
      else {
        rows.unjoin();
        this.#emit(batch, rows.sortByTime());
        batch = [queue];
        rows = new JoinedRows(++this.#serial);
        rows.join(queue.rows);
      }
    }
    this.#emit(batch, rows.sortByTime());
  }

  /** Readings waiting, all channels. */
  get pending(): number {
    return this.#count;
  }

  stop(): void {
    this.#platform.timers.clear(this.#timer);
    this.#timer = undefined;
  }

  /** After a reading joined its queue: the count close, or the age timer when none runs. */
  #added(): void {
    if (this.#count >= this.#batchSize) this.flush();
    else if (this.#timer === undefined) this.#arm();
  }

  /** An empty queue for `channel`: a spare one (its columns reused) or a new one. */
  #queue(channel: string): ChannelQueue {
    const since = this.#platform.clock.monotonic();
    const spare = this.#spare.pop();
    // Sized for the batch when it is small (the default 10), else grown in steps as readings come.
    if (!spare) return { channel, rows: new ChannelColumns(++this.#serial, Math.min(this.#batchSize, COLUMNS_STEP)), since };
    spare.channel = channel;
    spare.since = since;
    return spare;
  }

  /**
   * Hands `rows` (the queues' readings: one queue's columns, or the queues
   * joined and in time order) to `onBatch` as one pack, then empties the
   * queues and keeps those whose columns grew for reuse.
   */
  #emit(queues: ChannelQueue[], rows: ReadingRows): void {
    this.#onBatch(rows);
    for (const queue of queues) {
      queue.rows.clear(++this.#serial);
      // Columns that grew beyond a step are kept for reuse; small ones cost less to make again than to keep.
      if (queue.rows.capacity > COLUMNS_STEP && this.#spare.length < SPARE_MAX) this.#spare.push(queue);
    }
  }

  /** (Re-)arms the age timer for the oldest waiting channel; none when nothing waits. */
  #arm(): void {
    this.#platform.timers.clear(this.#timer);
    this.#timer = undefined;
    let oldest = Infinity;
    for (const queue of this.#queues.values()) if (queue.since < oldest) oldest = queue.since;
    if (oldest === Infinity) return;
    const wait = Math.max(0, oldest + this.#maxAgeMs - this.#platform.clock.monotonic());
    this.#timer = this.#platform.timers.once(() => this.#closeAged(), wait);
  }

  /**
   * The age close: packs that hold every channel waiting `maxAgeMs` or
   * more, oldest first, each filled up with the next channels (by age) that
   * fit whole; channels left out keep waiting, under their own age.
   */
  #closeAged(): void {
    this.#timer = undefined;
    const due = this.#platform.clock.monotonic() - this.#maxAgeMs;
    const byAge = [...this.#queues.values()].sort((a, b) => a.since - b.since);
    while (byAge.length > 0 && byAge[0].since <= due) {
      const batch: ChannelQueue[] = [];
      const rows = new JoinedRows(++this.#serial);
      for (let i = 0; i < byAge.length;) {
        const queue = byAge[i];
        rows.join(queue.rows);
        if (batch.length > 0 && !this.#fits(rows)) {
          rows.unjoin();
          i++;
          continue;
        }
        batch.push(queue);
        byAge.splice(i, 1);
        this.#queues.delete(queue.channel);
        this.#count -= queue.rows.length;
      }
      this.#emit(batch, rows.sortByTime());
    }
    if (this.#timer === undefined) this.#arm();
  }
}

function checkLimits(options: { batchSize: number; maxAgeMs: number }): void {
  if (!Number.isInteger(options.batchSize) || options.batchSize < 1)
    throw new RangeError(`batchSize must be a positive integer, got ${options.batchSize}`);
  if (!(options.maxAgeMs > 0)) throw new RangeError(`maxAgeMs must be positive, got ${options.maxAgeMs}`);
}
