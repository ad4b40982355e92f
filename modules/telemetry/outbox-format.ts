import { STORAGE_VALUE_MAX } from "../platform.js";
import { crc32 } from "../util/crc32.js";

/**
 * Flash records of the persistent outbox (see docs/contracts.md, "Outbox on
 * flash"). All integers are big-endian; every record ends with a CRC-32 of
 * the bytes before it, so a torn write is detected, never trusted.
 *
 * Segment `ob.<n>`: "FNOS", version 1, u32 n, u16 count, count × (u16 length,
 * message bytes), u32 CRC-32. Index `ob.ia` / `ob.ib` (A/B): "FNOI", version 1,
 * u32 generation, u32 head segment, u16 entries of the head already
 * acknowledged, u32 next segment number, u32 CRC-32.
 */

const SEGMENT_MAGIC = [0x46, 0x4e, 0x4f, 0x53] as const; // "FNOS"
const INDEX_MAGIC = [0x46, 0x4e, 0x4f, 0x49] as const; // "FNOI"
const VERSION = 1;
const SEGMENT_HEADER = 11;
const CRC_BYTES = 4;
const INDEX_BYTES = 23;

/** Bytes a segment spends on framing beyond its messages' own bytes. */
export const SEGMENT_OVERHEAD = SEGMENT_HEADER + CRC_BYTES;
/** Per-message framing inside a segment. */
export const ENTRY_OVERHEAD = 2;
/** Largest message one segment can hold. */
export const ENTRY_MAX = STORAGE_VALUE_MAX - SEGMENT_OVERHEAD - ENTRY_OVERHEAD;

/** Storage key of segment `n`. */
export function segmentKey(n: number): string {
  return `ob.${n}`;
}

/** Segment number from a storage key, or undefined for other keys. */
export function segmentNumber(key: string): number | undefined {
  const match = /^ob\.(\d{1,10})$/.exec(key);
  if (!match) return undefined;
  const n = Number(match[1]);
  return n <= 0xffffffff ? n : undefined;
}

export const INDEX_KEYS = ["ob.ia", "ob.ib"] as const;

/** Encodes segment `n`; throws RangeError when the messages exceed one storage value. */
export function encodeSegment(n: number, messages: readonly Uint8Array[]): Uint8Array {
  let size = SEGMENT_OVERHEAD;
  for (const m of messages) size += ENTRY_OVERHEAD + m.byteLength;
  if (size > STORAGE_VALUE_MAX) throw new RangeError(`segment ${n} would be ${size} bytes; max ${STORAGE_VALUE_MAX}`);
  if (messages.length > 0xffff) throw new RangeError(`segment ${n} holds ${messages.length} messages; max 65535`);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  bytes.set(SEGMENT_MAGIC, 0);
  bytes[4] = VERSION;
  view.setUint32(5, n);
  view.setUint16(9, messages.length);
  let at = SEGMENT_HEADER;
  for (const m of messages) {
    view.setUint16(at, m.byteLength);
    bytes.set(m, at + 2);
    at += 2 + m.byteLength;
  }
  view.setUint32(at, crc32(bytes, 0, at));
  return bytes;
}

/** Decodes a segment; a string says why it is not a valid segment `n` (torn, foreign, renamed). */
export function decodeSegment(n: number, bytes: Uint8Array): Uint8Array[] | string {
  if (bytes.byteLength < SEGMENT_OVERHEAD) return `segment ${n}: ${bytes.byteLength} bytes is shorter than a header`;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.byteLength - CRC_BYTES;
  if (view.getUint32(end) !== crc32(bytes, 0, end)) return `segment ${n}: CRC mismatch (torn write)`;
  if (!SEGMENT_MAGIC.every((b, i) => bytes[i] === b) || bytes[4] !== VERSION) return `segment ${n}: not an outbox segment v${VERSION}`;
  if (view.getUint32(5) !== n) return `segment ${n}: holds segment ${view.getUint32(5)}`;
  const count = view.getUint16(9);
  const messages: Uint8Array[] = [];
  let at = SEGMENT_HEADER;
  for (let i = 0; i < count; i++) {
    if (at + 2 > end) return `segment ${n}: message ${i} runs past the end`;
    const length = view.getUint16(at);
    if (at + 2 + length > end) return `segment ${n}: message ${i} runs past the end`;
    messages.push(bytes.slice(at + 2, at + 2 + length));
    at += 2 + length;
  }
  if (at !== end) return `segment ${n}: ${end - at} stray bytes after ${count} messages`;
  return messages;
}

/** The outbox index: which segment is the head and how much of it is acknowledged. */
export interface OutboxIndex {
  generation: number;
  head: number;
  skip: number;
  next: number;
}

export function encodeIndex(index: OutboxIndex): Uint8Array {
  const bytes = new Uint8Array(INDEX_BYTES);
  const view = new DataView(bytes.buffer);
  bytes.set(INDEX_MAGIC, 0);
  bytes[4] = VERSION;
  view.setUint32(5, index.generation >>> 0);
  view.setUint32(9, index.head >>> 0);
  view.setUint16(13, Math.min(index.skip, 0xffff));
  view.setUint32(15, index.next >>> 0);
  view.setUint32(19, crc32(bytes, 0, 19));
  return bytes;
}

/** Decodes an index record; undefined when missing, torn or foreign. */
export function decodeIndex(bytes: Uint8Array | undefined): OutboxIndex | undefined {
  if (!bytes || bytes.byteLength !== INDEX_BYTES) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(19) !== crc32(bytes, 0, 19)) return undefined;
  if (!INDEX_MAGIC.every((b, i) => bytes[i] === b) || bytes[4] !== VERSION) return undefined;
  return { generation: view.getUint32(5), head: view.getUint32(9), skip: view.getUint16(13), next: view.getUint32(15) };
}
