/**
 * Power-safe persistence of a driver's counters (pulse totals, transition
 * counts, running hours) over the platform's key/value flash, with a bounded
 * write rate to spare the flash.
 *
 * Two slots, `<key>.a` and `<key>.b`. A save writes the whole record into the
 * slot that does NOT hold the current good record; the newer generation wins
 * at load, so power loss during a write leaves the previous record readable
 * (the same write-new-then-switch as config/store.ts). Record layout:
 *
 *   offset size
 *    0     2   magic "FK"
 *    2     1   record format (1)
 *    3     1   n, number of values (1..8)
 *    4     4   generation (u32 big-endian, wraps; newer = RFC 1982 arithmetic)
 *    8    8n   the values, float64 big-endian
 *  8+8n    4   CRC-32 of bytes 0 .. 8+8n
 */
import type { Storage } from "../platform.js";
import { crc32 } from "../util/crc32.js";
import { newer } from "../util/serial-number.js";
import { encodeUtf8 } from "../util/utf8.js";

const MAGIC0 = 0x46; // "F"
const MAGIC1 = 0x4b; // "K"
const FORMAT = 1;
const MAX_VALUES = 8;
/** Longest base key: the slot suffix `.a` must fit the 15-character flash key. */
export const COUNTER_KEY_MAX = 13;

/** A base key for the counters of channel `name` of kind `kind` (one letter): `c<kind><crc32 of name in hex>`, 10 characters. */
export function counterKey(kind: string, name: string): string {
  return `c${kind}${crc32(encodeUtf8(name)).toString(16).padStart(8, "0")}`;
}

export interface CounterStoreOptions {
  /** Monotonic ms. */
  now: () => number;
  /** Least time between two writes, ms; default 60,000. `flush()` ignores it. */
  minIntervalMs?: number;
  /** Called with a message when the flash refuses a write or a slot is unreadable. */
  onError?: (message: string) => void;
}

/** The A/B counter record of one driver. */
export class CounterStore {
  #storage: Storage;
  #key: string;
  #now: () => number;
  #minIntervalMs: number;
  #onError: (message: string) => void;
  #current: { slot: "a" | "b"; generation: number } | undefined;
  #written: number[] | undefined;
  #lastWrite = Number.NEGATIVE_INFINITY;
  /** Writes made, for tests and status. */
  writes = 0;

  /** Throws RangeError for a key longer than 13 characters or a negative interval. */
  constructor(storage: Storage, key: string, options: CounterStoreOptions) {
    if (key.length < 1 || key.length > COUNTER_KEY_MAX) throw new RangeError(`counter key must be 1..${COUNTER_KEY_MAX} characters, got "${key}"`);
    const interval = options.minIntervalMs ?? 60_000;
    if (!(interval >= 0)) throw new RangeError(`minIntervalMs must be 0 or more, got ${interval}`);
    this.#storage = storage;
    this.#key = key;
    this.#now = options.now;
    this.#minIntervalMs = interval;
    this.#onError = options.onError ?? (() => {});
  }

  /** The values of the newest good record, or `undefined` when there is none; never throws. */
  load(): number[] | undefined {
    let best: { slot: "a" | "b"; generation: number; values: number[] } | undefined;
    for (const slot of ["a", "b"] as const) {
      const record = this.#read(slot);
      if (record && (!best || newer(record.generation, best.generation))) best = { slot, ...record };
    }
    if (!best) return undefined;
    this.#current = { slot: best.slot, generation: best.generation };
    this.#written = best.values.slice();
    return best.values;
  }

  /**
   * Writes `values` when they changed and `minIntervalMs` has passed since
   * the last write. Returns true when written. Never throws: a flash error
   * goes to `onError` and the previous record stays current.
   */
  save(values: readonly number[]): boolean {
    if (this.#now() - this.#lastWrite < this.#minIntervalMs) return false;
    return this.flush(values);
  }

  /** Writes `values` now if they changed (at close, before a planned restart). Never throws. */
  flush(values: readonly number[]): boolean {
    if (this.#written && this.#written.length === values.length && this.#written.every((v, i) => v === values[i])) return false;
    if (values.length < 1 || values.length > MAX_VALUES) {
      this.#onError(`counter record of ${values.length} values (1..${MAX_VALUES})`);
      return false;
    }
    const generation = this.#current ? (this.#current.generation + 1) >>> 0 : 1;
    const slot = this.#current?.slot === "a" ? "b" : "a";
    const record = new Uint8Array(12 + 8 * values.length);
    const view = new DataView(record.buffer);
    record.set([MAGIC0, MAGIC1, FORMAT, values.length]);
    view.setUint32(4, generation);
    values.forEach((value, i) => view.setFloat64(8 + 8 * i, value));
    view.setUint32(8 + 8 * values.length, crc32(record, 0, 8 + 8 * values.length));
    this.#lastWrite = this.#now();
    try {
      this.#storage.write(`${this.#key}.${slot}`, record);
    } catch (error) {
      this.#onError(`counter write failed: ${(error as Error).message}`);
      return false;
    }
    this.writes++;
    this.#current = { slot, generation };
    this.#written = values.slice();
    return true;
  }

  /** Erases both slots (a reset of the counters). */
  erase(): void {
    for (const slot of ["a", "b"]) this.#storage.delete(`${this.#key}.${slot}`);
    this.#current = undefined;
    this.#written = undefined;
  }

  #read(slot: "a" | "b"): { generation: number; values: number[] } | undefined {
    let bytes: Uint8Array | undefined;
    try {
      bytes = this.#storage.read(`${this.#key}.${slot}`);
    } catch (error) {
      this.#onError(`counter slot ${slot}: read failed: ${(error as Error).message}`);
      return undefined;
    }
    if (bytes === undefined) return undefined;
    const n = bytes[3];
    if (bytes.length < 4 || bytes[0] !== MAGIC0 || bytes[1] !== MAGIC1 || bytes[2] !== FORMAT || n < 1 || n > MAX_VALUES || bytes.length !== 12 + 8 * n) {
      this.#onError(`counter slot ${slot}: not a counter record`);
      return undefined;
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (view.getUint32(8 + 8 * n) !== crc32(bytes, 0, 8 + 8 * n)) {
      this.#onError(`counter slot ${slot}: CRC mismatch`);
      return undefined;
    }
    const values: number[] = [];
    for (let i = 0; i < n; i++) values.push(view.getFloat64(8 + 8 * i));
    return { generation: view.getUint32(4), values };
  }
}
