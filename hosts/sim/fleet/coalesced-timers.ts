import type { VirtualTime } from "../virtual-time.js";

interface Bucket {
  due: number;
  entries: Set<Entry>;
  handle: unknown;
}

interface Entry {
  bucket: Bucket;
  fn: () => void;
  /** Hears what `fn` throws: the node's own clock. */
  owner: VirtualTime;
}

/**
 * One timer for many nodes' periodic machine checks: a `once` whose delay is
 * a whole multiple of `gridMs` (default 100: a contact that follows its
 * relay, checked every 100 ms of machine time) fires on the next multiple of
 * `gridMs` of the shared timeline at or after its due time, together with
 * every other node's check due there, from one timer of `time`'s scheduler
 * (a thousand nodes' 10 Hz checks: 10 firings a second, not 10,000). Any
 * other delay (a profile's fault at a given second) is passed to the node's
 * own clock unchanged. What a callback throws goes to its node's `onError`.
 */
export class CoalescedTimers {
  #time: VirtualTime;
  #gridMs: number;
  #buckets = new Map<number, Bucket>();

  /** `time`: any view on the shared scheduler (it owns the buckets' timers). Throws RangeError for a grid under 1 ms. */
  constructor(time: VirtualTime, gridMs = 100) {
    if (!(gridMs >= 1)) throw new RangeError(`gridMs must be >= 1, got ${gridMs}`);
    this.#time = time;
    this.#gridMs = gridMs;
  }

  /** A node's machine clock (`placeMachine`'s `{ now, once, clear }`) on its own VirtualTime `owner`. */
  clockFor(owner: VirtualTime): { now(): number; once(fn: () => void, ms: number): unknown; clear(handle: unknown): void } {
    return {
      now: () => owner.monotonic(),
      once: (fn, ms) => (ms > 0 && ms % this.#gridMs === 0 ? this.#once(fn, ms, owner) : owner.once(fn, ms)),
      clear: (handle) => (isEntry(handle) ? this.#clear(handle) : owner.clear(handle as never)),
    };
  }

  /** Buckets (distinct due times) waiting. */
  get pending(): number {
    return this.#buckets.size;
  }

  #once(fn: () => void, ms: number, owner: VirtualTime): Entry {
    const now = this.#time.monotonic();
    const due = Math.ceil((now + ms) / this.#gridMs) * this.#gridMs;
    let bucket = this.#buckets.get(due);
    if (!bucket) {
      const created: Bucket = { due, entries: new Set(), handle: undefined };
      created.handle = this.#time.once(() => this.#fire(created), due - now);
      this.#buckets.set(due, created);
      bucket = created;
    }
    const entry: Entry = { bucket, fn, owner };
    bucket.entries.add(entry);
    return entry;
  }

  #clear(entry: Entry): void {
    const { bucket } = entry;
    if (!bucket.entries.delete(entry) || bucket.entries.size > 0) return;
    this.#time.clear(bucket.handle as never);
    this.#buckets.delete(bucket.due);
  }

  #fire(bucket: Bucket): void {
    this.#buckets.delete(bucket.due);
    for (const entry of bucket.entries) {
      try {
        entry.fn();
      } catch (error) {
        entry.owner.onError(error);
      }
    }
    bucket.entries.clear();
  }
}

function isEntry(handle: unknown): handle is Entry {
  return typeof handle === "object" && handle !== null && "bucket" in handle && "owner" in handle;
}
