import type { Reading } from "../io/channels.js";
import type { Platform, TimerHandle } from "../platform.js";

/**
 * Collects readings into batches: a batch closes when it holds `batchSize`
 * readings, its first reading is `maxAgeMs` old, or the next reading would
 * make it too big for one message (`fits` says no), whichever comes first.
 */
export class Batcher {
  #platform: Platform;
  #batchSize: number;
  #maxAgeMs: number;
  #pending: Reading[] = [];
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
   * telemetry.max_interval): the open batch closes now when it already
   * holds `batchSize` readings, and its age timer restarts with the new
   * `maxAgeMs` counted from now. Throws RangeError (changing nothing) for a
   * bad value.
   */
  configure(limits: Partial<{ batchSize: number; maxAgeMs: number }>): void {
    const next = { batchSize: limits.batchSize ?? this.#batchSize, maxAgeMs: limits.maxAgeMs ?? this.#maxAgeMs };
    checkLimits(next);
    this.#batchSize = next.batchSize;
    this.#maxAgeMs = next.maxAgeMs;
    if (this.#pending.length >= this.#batchSize) return this.flush();
    if (this.#timer === undefined) return;
    this.#platform.timers.clear(this.#timer);
    this.#timer = this.#platform.timers.once(() => this.flush(), this.#maxAgeMs);
  }

  add(reading: Reading): void {
    if (this.#pending.length > 0 && !this.#fits([...this.#pending, reading])) this.flush();
    this.#pending.push(reading);
    if (this.#pending.length >= this.#batchSize) this.flush();
    else if (!this.#timer) this.#timer = this.#platform.timers.once(() => this.flush(), this.#maxAgeMs);
  }

  /** Closes the current batch now (no-op when empty). */
  flush(): void {
    this.#platform.timers.clear(this.#timer);
    this.#timer = undefined;
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    this.#onBatch(batch);
  }

  get pending(): number {
    return this.#pending.length;
  }

  stop(): void {
    this.#platform.timers.clear(this.#timer);
    this.#timer = undefined;
  }
}

function checkLimits(options: { batchSize: number; maxAgeMs: number }): void {
  if (!Number.isInteger(options.batchSize) || options.batchSize < 1)
    throw new RangeError(`batchSize must be a positive integer, got ${options.batchSize}`);
  if (!(options.maxAgeMs > 0)) throw new RangeError(`maxAgeMs must be positive, got ${options.maxAgeMs}`);
}
