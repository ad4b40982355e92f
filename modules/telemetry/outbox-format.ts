import { STORAGE_VALUE_MAX } from "../platform.js";
import { crc32 } from "../util/crc32.js";

/**
 * Flash records of the persistent outbox (see docs/contracts.md, "Outbox on
 * flash"). All integers are big-endian; every record ends with a CRC-32 of
 * the bytes before it, so a torn write is detected, never trusted.
 *
 * Segment `ob.<n>` v2: "FNOS", version 2, u32 n, u32 lo, u32 hi, u8 level,
 * u8 flags, u16 count, count × (u16 length, u32 ordinal, message bytes),
 * u32 CRC-32. The ordinal numbers the messages as they were queued; thinning
 * keeps those whose ordinal is a multiple of 2^level, so spacing stays even.
 * `[lo, hi]` are the segment numbers it stands for (its own n when freshly
 * written; the union of its sources' ranges when it consolidates or thins
 * older segments): segments sort by `lo`, and one whose range lies inside a
 * segment written later (larger n) was superseded by it. `level`: 1 message
 * in 2^level of the original stream is kept. Flag 1: a journal record (not
 * yet consolidated). Segment v1 (the previous firmware; read, never written):
 * "FNOS", version 1, u32 n, u16 count, count × (u16 length, message bytes),
 * CRC-32: lo = hi = n, level 0, ordinals 0, 1, 2 ... by position.
 *
 * Index `ob.ia` / `ob.ib` (A/B) v2: "FNOI", version 2, u32 generation, u32
 * head segment, u32 head's lo, u16 entries of the head already acknowledged,
 * u32 next segment number, u32 CRC-32. v1 (read only) lacks the head's lo.
 */

const SEGMENT_MAGIC = [0x46, 0x4e, 0x4f, 0x53] as const; // "FNOS"
const INDEX_MAGIC = [0x46, 0x4e, 0x4f, 0x49] as const; // "FNOI"
const VERSION = 2;
const SEGMENT_HEADER = 21;
const SEGMENT_HEADER_V1 = 11;
const CRC_BYTES = 4;
const INDEX_BYTES = 27;
const INDEX_BYTES_V1 = 23;

/** Bytes a segment spends on framing beyond its messages' own bytes. */
export const SEGMENT_OVERHEAD = SEGMENT_HEADER + CRC_BYTES;
/** Per-message framing inside a segment (length and ordinal). */
export const ENTRY_OVERHEAD = 6;
/** Largest message one segment can hold. */
export const ENTRY_MAX = STORAGE_VALUE_MAX - SEGMENT_OVERHEAD - ENTRY_OVERHEAD;
/** Highest thinning level a segment records (1 message in 2^30 kept). */
export const LEVEL_MAX = 30;

/** Storage key of segment `n`. */
export function segmentKey(n: number): string {
  return `ob.${n}`;
}

/** Segment number from a storage key, or undefined for other keys. */
export function segmentNumber(key: string): number | undefined {
  if (!key.startsWith("ob.") || key.length < 4 || key.length > 13) return undefined;
  let n = 0;
  for (let i = 3; i < key.length; i++) {
    const c = key.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return undefined;
    n = n * 10 + c;
  }
  return n <= 0xffffffff ? n : undefined;
}

export const INDEX_KEYS = ["ob.ia", "ob.ib"] as const;

/** What a segment says about itself besides its messages. */
export interface SegmentHeader {
  n: number;
  lo: number;
  hi: number;
  level: number;
  /** A journal record: written as it came, to be consolidated with its neighbours. */
  record: boolean;
}

/** A decoded segment. */
export interface DecodedSegment extends SegmentHeader {
  messages: Uint8Array[];
  /** The messages' ordinals (see the format above). */
  ordinals: number[];
  /** Format version found (1: written by the previous firmware). */
  version: number;
}

/** Bytes `messages` take as one segment. */
export function segmentSize(messages: readonly { readonly byteLength: number }[]): number {
  let size = SEGMENT_OVERHEAD;
  for (const m of messages) size += ENTRY_OVERHEAD + m.byteLength;
  return size;
}

/**
 * Encodes a v2 segment of `messages` with their `ordinals`; throws
 * RangeError when the messages exceed one storage value or the header is
 * out of range.
 */
export function encodeSegment(header: SegmentHeader, messages: readonly Uint8Array[], ordinals: readonly number[]): Uint8Array {
  const { n, lo, hi, level, record } = header;
  const size = segmentSize(messages);
  if (size > STORAGE_VALUE_MAX) throw new RangeError(`segment ${n} would be ${size} bytes; max ${STORAGE_VALUE_MAX}`);
  if (messages.length > 0xffff) throw new RangeError(`segment ${n} holds ${messages.length} messages; max 65535`);
  if (!(lo <= hi && hi <= n)) throw new RangeError(`segment ${n}: range [${lo}, ${hi}] must end at or before ${n}`);
  if (!(level >= 0 && level <= LEVEL_MAX)) throw new RangeError(`segment ${n}: level ${level} out of 0-${LEVEL_MAX}`);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  bytes.set(SEGMENT_MAGIC, 0);
  bytes[4] = VERSION;
  view.setUint32(5, n);
  view.setUint32(9, lo);
  view.setUint32(13, hi);
  bytes[17] = level;
  bytes[18] = record ? 1 : 0;
  view.setUint16(19, messages.length);
  let at = SEGMENT_HEADER;
  messages.forEach((m, i) => {
    view.setUint16(at, m.byteLength);
    view.setUint32(at + 2, ordinals[i] >>> 0);
    bytes.set(m, at + ENTRY_OVERHEAD);
    at += ENTRY_OVERHEAD + m.byteLength;
  });
  view.setUint32(at, crc32(bytes, 0, at));
  return bytes;
}

/**
 * Decodes segment `n` (v2, or v1 as the previous firmware wrote it); a
 * string says why it is not a valid segment `n` (torn, foreign, renamed).
 */
export function decodeSegment(n: number, bytes: Uint8Array): DecodedSegment | string {
  if (bytes.byteLength < SEGMENT_HEADER_V1 + CRC_BYTES) return `segment ${n}: ${bytes.byteLength} bytes is shorter than a header`;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.byteLength - CRC_BYTES;
  if (view.getUint32(end) !== crc32(bytes, 0, end)) return `segment ${n}: CRC mismatch (torn write)`;
  const version = bytes[4];
  if (!SEGMENT_MAGIC.every((b, i) => bytes[i] === b) || (version !== 1 && version !== VERSION)) return `segment ${n}: not an outbox segment v1 or v${VERSION}`;
  if (view.getUint32(5) !== n) return `segment ${n}: holds segment ${view.getUint32(5)}`;
  let header: SegmentHeader = { n, lo: n, hi: n, level: 0, record: false };
  let at = SEGMENT_HEADER_V1;
  if (version === VERSION) {
    if (end < SEGMENT_HEADER) return `segment ${n}: ${bytes.byteLength} bytes is shorter than a header`;
    header = { n, lo: view.getUint32(9), hi: view.getUint32(13), level: bytes[17], record: (bytes[18] & 1) === 1 };
    if (!(header.lo <= header.hi && header.hi <= n) || header.level > LEVEL_MAX) return `segment ${n}: bad range [${header.lo}, ${header.hi}] or level ${header.level}`;
    at = SEGMENT_HEADER;
  }
  const count = view.getUint16(at - 2);
  const framing = version === VERSION ? ENTRY_OVERHEAD : 2;
  const messages: Uint8Array[] = [];
  const ordinals: number[] = [];
  for (let i = 0; i < count; i++) {
    if (at + framing > end) return `segment ${n}: message ${i} runs past the end`;
    const length = view.getUint16(at);
    if (at + framing + length > end) return `segment ${n}: message ${i} runs past the end`;
    ordinals.push(version === VERSION ? view.getUint32(at + 2) : i);
    messages.push(bytes.slice(at + framing, at + framing + length));
    at += framing + length;
  }
  if (at !== end) return `segment ${n}: ${end - at} stray bytes after ${count} messages`;
  return { ...header, messages, ordinals, version };
}

/** The outbox index: which segment is the head, where it stands in time, and how much of it is acknowledged. */
export interface OutboxIndex {
  generation: number;
  head: number;
  /** The head's `lo`: every segment whose range ends before it was acknowledged. */
  headLo: number;
  skip: number;
  next: number;
}

/** Encodes a v2 index record. */
export function encodeIndex(index: OutboxIndex): Uint8Array {
  const bytes = new Uint8Array(INDEX_BYTES);
  const view = new DataView(bytes.buffer);
  bytes.set(INDEX_MAGIC, 0);
  bytes[4] = VERSION;
  view.setUint32(5, index.generation >>> 0);
  view.setUint32(9, index.head >>> 0);
  view.setUint32(13, index.headLo >>> 0);
  view.setUint16(17, Math.min(index.skip, 0xffff));
  view.setUint32(19, index.next >>> 0);
  view.setUint32(23, crc32(bytes, 0, 23));
  return bytes;
}

/** Decodes an index record (v2, or v1 of the previous firmware); undefined when missing, torn or foreign. */
export function decodeIndex(bytes: Uint8Array | undefined): OutboxIndex | undefined {
  if (!bytes || (bytes.byteLength !== INDEX_BYTES && bytes.byteLength !== INDEX_BYTES_V1)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.byteLength - CRC_BYTES;
  if (view.getUint32(end) !== crc32(bytes, 0, end)) return undefined;
  if (!INDEX_MAGIC.every((b, i) => bytes[i] === b)) return undefined;
  if (bytes[4] === 1 && bytes.byteLength === INDEX_BYTES_V1) {
    const head = view.getUint32(9);
    return { generation: view.getUint32(5), head, headLo: head, skip: view.getUint16(13), next: view.getUint32(15) };
  }
  if (bytes[4] !== VERSION || bytes.byteLength !== INDEX_BYTES) return undefined;
  return { generation: view.getUint32(5), head: view.getUint32(9), headLo: view.getUint32(13), skip: view.getUint16(17), next: view.getUint32(19) };
}
