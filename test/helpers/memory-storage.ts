/**
 * The one in-memory flash of the tests (on Node and inside XS: no Node
 * built-ins), with the limits every host honours: keys of 1-15 characters of
 * [A-Za-z0-9._-], values of at most 4,000 bytes; values are copied in and
 * out. Faults are injected with `full` (every write throws, as a full flash)
 * or `beforeWrite` (a power cut mid-write, a torn value).
 */
import { STORAGE_KEY_MAX, STORAGE_VALUE_MAX, type Storage } from "../../modules/platform.js";

export class MemoryStorage implements Storage {
  /** The stored values by key: tests read and edit it directly (to tear a value, to copy a flash). */
  readonly map = new Map<string, Uint8Array>();
  /** Writes so far (accepted or not by `beforeWrite`). */
  writes = 0;
  /** When true, writes throw Error("flash full"). */
  full = false;
  /** Optional capacity hint, as a board's storage gives it (`Storage.capacityBytes`). */
  capacityBytes?: number;
  /**
   * Called before each write with its index (0, 1, ...): may throw (the
   * write never happened: a power cut) or return the bytes to store instead
   * (a torn write).
   */
  beforeWrite?: (key: string, value: Uint8Array, index: number) => Uint8Array | void;

  read(key: string): Uint8Array | undefined {
    checkKey(key);
    const value = this.map.get(key);
    return value && value.slice();
  }

  /** Throws RangeError for a bad key or an oversized value, Error when `full`. */
  write(key: string, value: Uint8Array): void {
    checkKey(key);
    if (value.byteLength > STORAGE_VALUE_MAX) throw new RangeError(`storage value for "${key}" is ${value.byteLength} bytes, at most ${STORAGE_VALUE_MAX}`);
    if (this.full) throw new Error("flash full");
    const index = this.writes++;
    const replaced = this.beforeWrite?.(key, value, index);
    this.map.set(key, (replaced ?? value).slice());
  }

  delete(key: string): void {
    checkKey(key);
    this.map.delete(key);
  }

  keys(): string[] {
    return [...this.map.keys()].sort();
  }
}

function checkKey(key: string): void {
  if (typeof key !== "string" || key.length === 0 || key.length > STORAGE_KEY_MAX || !isKey(key))
    throw new RangeError(`storage key must be 1..${STORAGE_KEY_MAX} characters of [A-Za-z0-9._-], got "${key}"`);
}

/** [A-Za-z0-9._-] only (no RegExp at module level: this file runs inside XS too). */
function isKey(key: string): boolean {
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    const ok = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2e || c === 0x5f || c === 0x2d;
    if (!ok) return false;
  }
  return true;
}
