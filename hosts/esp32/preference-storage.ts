import Preference from "preference";
import { STORAGE_KEY_MAX, STORAGE_VALUE_MAX, type Storage } from "../../modules/platform.js";

/** Default Preference domain (the NVS namespace, at most 15 characters). */
export const PREFERENCE_DOMAIN = "fieldnode";

/** An NVS page: 4,096 bytes, of which 64 are header and entry bitmap, and 126 entries of 32 bytes. */
const NVS_PAGE_BYTES = 4096;
const NVS_PAGE_ENTRIES = 126;
/** Entries a 4,000-byte value takes: 125 of data, its blob index, and a chunk header for each of the ≤ 2 pages it spans. */
const NVS_ENTRIES_PER_VALUE = 128;

/**
 * Bytes of 4,000-byte values an NVS partition of `partitionBytes` holds
 * (the `capacityBytes` hint): one page stays free for NVS's own garbage
 * collection and one for the outbox's write-new-then-switch; every value
 * costs 128 entries of 32 bytes. 0x86000 (hosts/esp32/partitions.csv):
 * 134 pages → 132 × 126 / 128 = 129 values → 516,000 bytes.
 */
export function nvsCapacityBytes(partitionBytes: number): number {
  const pages = Math.floor(partitionBytes / NVS_PAGE_BYTES);
  return Math.floor((Math.max(0, pages - 2) * NVS_PAGE_ENTRIES) / NVS_ENTRIES_PER_VALUE) * STORAGE_VALUE_MAX;
}

/**
 * The port's flash on Moddable's `preference` module (NVS on the ESP32, one
 * file per domain under mcsim). Values are stored as ArrayBuffer; values of
 * another type (written by other code) read as absent.
 *
 * Throws `RangeError` for a key that is empty, longer than 15 characters or
 * outside [A-Za-z0-9._-], and for a value over 4,000 bytes; `TypeError` for a
 * value that is not a Uint8Array. A full or failing flash throws from
 * `Preference.set` unchanged.
 */
export class PreferenceStorage implements Storage {
  readonly #domain: string;
  readonly capacityBytes?: number;

  /**
   * `domain` defaults to "fieldnode". `partitionBytes`: size of the NVS
   * partition (config `fieldnode.nvs_bytes`), turned into the
   * `capacityBytes` hint; left out, no hint.
   */
  constructor(domain: string = PREFERENCE_DOMAIN, partitionBytes?: number) {
    checkKey(domain);
    this.#domain = domain;
    if (partitionBytes !== undefined && partitionBytes > 0) this.capacityBytes = nvsCapacityBytes(partitionBytes);
  }

  read(key: string): Uint8Array | undefined {
    checkKey(key);
    const value = Preference.get(this.#domain, key);
    return value instanceof ArrayBuffer ? new Uint8Array(value) : undefined;
  }

  write(key: string, value: Uint8Array): void {
    checkKey(key);
    if (!(value instanceof Uint8Array)) throw new TypeError(`storage value for "${key}" must be a Uint8Array, got ${typeof value}`);
    if (value.byteLength > STORAGE_VALUE_MAX) {
      throw new RangeError(`storage value for "${key}" is ${value.byteLength} bytes, over the ${STORAGE_VALUE_MAX}-byte limit`);
    }
    Preference.set(this.#domain, key, value.slice().buffer);
  }

  delete(key: string): void {
    checkKey(key);
    Preference.delete(this.#domain, key);
  }

  keys(): string[] {
    return Preference.keys(this.#domain);
  }
}

function checkKey(key: string): void {
  if (typeof key !== "string" || key.length === 0 || key.length > STORAGE_KEY_MAX || !isKeyText(key)) {
    throw new RangeError(`storage key "${String(key)}" must be 1-${STORAGE_KEY_MAX} characters of [A-Za-z0-9._-]`);
  }
}

/** [A-Za-z0-9._-] only, checked without a module-level RegExp (preloaded RegExps live in ROM, where XS 17.7's exec can crash during a GC). */
function isKeyText(key: string): boolean {
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 || c === 95 || c === 45;
    if (!ok) return false;
  }
  return true;
}
