import type { Reading } from "../io/channels.js";
import type { Platform, TimerHandle } from "../platform.js";

/** The readings of one channel waiting for a pack, and when the first came. */
interface ChannelQueue {
  readings: Reading[];
  since: number;
}

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
 * the count close). Throws RangeError for a bad option (`configure` too).
 */
export class Batcher {
  #platform: Platform;
  #batchSize: number;
  #maxAgeMs: number;
  #queues = new Map<string, ChannelQueue>();
  #count = 0;
  #timer: TimerHandle | undefined;
  #onBatch: (readings: Reading[]) => void;
  #fits: (readings: Reading[]) => boolean;

  constructor(platform: Platform, options: { batchSize: number; maxAgeMs: number; fits?: (readings: Reading[]) => boolean },
    onBatch: (readings: Reading[]) => void) {
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
    if (queue && !this.#fits([...queue.readings, reading])) {
      this.#queues.delete(reading.channel);
      this.#count -= queue.readings.length;
      this.#arm();
      this.#onBatch(queue.readings);
      queue = this.#queues.get(reading.channel);
    }
    if (!queue) this.#queues.set(reading.channel, (queue = { readings: [], since: this.#platform.clock.monotonic() }));
    queue.readings.push(reading);
    this.#count++;
    if (this.#count >= this.#batchSize) this.flush();
    else if (this.#timer === undefined) this.#arm();
  }

  /** Closes everything waiting now, in as few packs as fit (no-op when empty). */
  flush(): void {
    this.#platform.timers.clear(this.#timer);
    this.#timer = undefined;
    if (this.#count === 0) return;
    const queues = [...this.#queues.values()];
    this.#queues = new Map();
    this.#count = 0;
    let batch: Reading[] = [];
    for (const queue of queues) {
      const joined = batch.concat(queue.readings);
      if (batch.length === 0 || this.#fits(joined)) batch = joined;
      else {
        this.#onBatch(inTimeOrder(batch));
        batch = queue.readings;
      }
    }
    this.#onBatch(inTimeOrder(batch));
  }

  /** Readings waiting, all channels. */
  get pending(): number {
    return this.#count;
  }

  stop(): void {
    this.#platform.timers.clear(this.#timer);
    this.#timer = undefined;
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
    const byAge = [...this.#queues.entries()].sort(([, a], [, b]) => a.since - b.since);
    while (byAge.length > 0 && byAge[0][1].since <= due) {
      let batch: Reading[] = [];
      for (let i = 0; i < byAge.length;) {
        const [channel, queue] = byAge[i];
        const joined = batch.concat(queue.readings);
        if (batch.length > 0 && !this.#fits(joined)) {
          i++;
          continue;
        }
        batch = joined;
        byAge.splice(i, 1);
        this.#queues.delete(channel);
        this.#count -= queue.readings.length;
      }
      this.#onBatch(inTimeOrder(batch));
    }
    if (this.#timer === undefined) this.#arm();
  }
}

/** The readings sorted by time, stable (a channel's stay in their order). */
function inTimeOrder(readings: Reading[]): Reading[] {
  return readings.length < 2 ? readings : readings.sort((a, b) => a.at - b.at);
}

function checkLimits(options: { batchSize: number; maxAgeMs: number }): void {
  if (!Number.isInteger(options.batchSize) || options.batchSize < 1)
    throw new RangeError(`batchSize must be a positive integer, got ${options.batchSize}`);
  if (!(options.maxAgeMs > 0)) throw new RangeError(`maxAgeMs must be positive, got ${options.maxAgeMs}`);
}
