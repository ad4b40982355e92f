import type { Storage } from "../platform.js";
import { crc32 } from "../util/crc32.js";
import { decodeUtf8, encodeUtf8 } from "../util/utf8.js";

/** Storage key of the record: the topic base (`<prefix>/<nodeId>`) whose retained topics are on the broker. */
export const IDENTITY_KEY = "mq.base";
/** Longest base kept (prefix 4 × 32 + id). */
const BASE_MAX = 200;

/** Publishes a retained message; false when the link cannot take it now. */
export type RetainPublish = (topic: string, payload: Uint8Array, qos: 0 | 1, retain: boolean) => number | false;

/**
 * Remembers, on flash, the topic base `<prefix>/<nodeId>` this node last
 * left retained `state` and `birth` under. On a connect under another base
 * (node.id or prefix changed, factory reset), `connected` first clears the
 * old base's retained topics (an empty retained payload: MQTT 3.1.1 section
 * 3.3.1.3), then records the new base, so no stale retained identity stays
 * on the broker. The record ("FNID", v1, u8 length, UTF-8 base, CRC-32) is
 * written only when the base changes; a torn or unreadable record means
 * "unknown" (nothing is cleared that once). Never throws.
 */
export class RetainedIdentity {
  #storage: Storage;

  constructor(storage: Storage) {
    this.#storage = storage;
  }

  /** The recorded base, undefined when there is none or it is unreadable. */
  recorded(): string | undefined {
    try {
      const b = this.#storage.read(IDENTITY_KEY);
      if (!b || b.byteLength < 10 || b[0] !== 0x46 || b[1] !== 0x4e || b[2] !== 0x49 || b[3] !== 0x44 || b[4] !== 1) return undefined;
      const length = b[5];
      if (b.byteLength !== 10 + length) return undefined;
      const crc = new DataView(b.buffer, b.byteOffset + 6 + length, 4).getUint32(0);
      if (crc !== crc32(b, 0, 6 + length)) return undefined;
      return decodeUtf8(b.subarray(6, 6 + length));
    } catch {
      return undefined;
    }
  }

  /**
   * Called on CONNACK with the current base: clears the previous base's
   * retained `state` and `birth` when it differs, then records `base`.
   * Returns the topics cleared (empty when none).
   */
  connected(base: string, publish: RetainPublish): string[] {
    const previous = this.recorded();
    if (previous === base) return [];
    const cleared: string[] = [];
    if (previous !== undefined) {
      for (const topic of [`${previous}/state`, `${previous}/birth`]) {
        if (publish(topic, new Uint8Array(0), 1, true) === false) return cleared;
        cleared.push(topic);
      }
    }
    this.#write(base);
    return cleared;
  }

  #write(base: string): void {
    const text = encodeUtf8(base);
    if (text.byteLength > BASE_MAX) return;
    const b = new Uint8Array(10 + text.byteLength);
    b.set([0x46, 0x4e, 0x49, 0x44, 1, text.byteLength]);
    b.set(text, 6);
    new DataView(b.buffer).setUint32(6 + text.byteLength, crc32(b, 0, 6 + text.byteLength));
    try {
      this.#storage.write(IDENTITY_KEY, b);
    } catch {
      // Unknown next time: the old retained topics are then simply not cleared.
    }
  }
}
