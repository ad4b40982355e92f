/**
 * The outbox of the previous firmware (fieldnode 0.1.0 before the journal),
 * frozen here as a test fixture and a bench baseline: it writes the v1 flash
 * format (one segment per 4,000 bytes, the open segment rewritten every
 * `offlineFlushMs` while offline, the oldest segment dropped when full). The
 * compatibility test lets it leave an outbox on flash for the new firmware to
 * read; `npm run bench` measures its flash writes beside the new outbox's.
 * Not firmware: do not import it from modules/.
 */
import type { Counters } from "../../modules/counters.js";
import type { Logger } from "../../modules/log.js";
import { STORAGE_VALUE_MAX, type Storage } from "../../modules/platform.js";
import { crc32 } from "../../modules/util/crc32.js";

/** Tunables of the persistent outbox; defaults in `OUTBOX_DEFAULTS`. */
export interface OutboxV1Options {
  /** Segments kept on flash; a full outbox drops its oldest segment (counted in `outbox_dropped`). */
  maxSegments: number;
  /**
   * A message in flight (published, PUBACK awaited) waits at most this long
   * after its publish before the RAM tail goes to flash: on a live link the
   * PUBACK normally comes first, so a healthy link writes no flash.
   */
  flushMs: number;
  /**
   * A message not in flight (the link is down, or it waits behind a backlog)
   * waits at most this long in RAM. Meanwhile the tail goes to flash only when
   * it fills a segment, and a partly filled last segment is topped up (written
   * anew with the tail, then the old copy deleted), so an outage fills
   * segments of about 4,000 bytes instead of one segment per pack. This is
   * the power-loss window of a broker outage: at most the packs of the last
   * `offlineFlushMs` (+ the 1 s tick) are lost; by default 60 s, about 6
   * packs of the default telemetry. It costs one rewrite of the open segment
   * per `offlineFlushMs` while offline (about 2 segment writes per full
   * segment at the default rate).
   */
  offlineFlushMs: number;
  /** The head's acknowledged count is written to the index at most this often (flash wear). */
  indexWriteMs: number;
}

const OUTBOX_DEFAULTS: Readonly<OutboxV1Options> = Object.freeze({ maxSegments: 64, flushMs: 5000, offlineFlushMs: 60_000, indexWriteMs: 10_000 });

/** One queued QoS 1 message. */
interface OutboxEntry {
  readonly bytes: Uint8Array;
  /** Waited for a broker (queued while offline, in flight at a disconnect, or restored from flash). */
  historical: boolean;
  /** Packet id while in flight. */
  packetId?: number;
  /** Monotonic ms of the publish, while in flight. */
  sentAt?: number;
  acked: boolean;
  /** Monotonic ms when queued. */
  readonly at: number;
}

interface Segment {
  n: number;
  count: number;
  /** Acknowledged prefix (acks arrive in publish order, MQTT 3.1.1 section 4.6). */
  skip: number;
  /** Loaded messages, or undefined while they wait on flash only. */
  entries?: OutboxEntry[];
}

/**
 * A bounded, persistent FIFO of QoS 1 messages (telemetry packs). Messages
 * go out oldest first and leave only on their PUBACK. New messages wait in a
 * RAM tail; the tail goes to flash when, with the open (last, partly filled)
 * segment, it would outgrow a segment, when a message of it has been in
 * flight for `flushMs`, or when its oldest unacknowledged message is
 * `offlineFlushMs` old. So a healthy link never writes flash, and an outage
 * fills segments: the tail tops up the open segment by writing a new segment
 * (old messages + tail) under the next number and only then deleting the old
 * one (never overwritten in place; should the delete not happen, the next
 * boot finds the old one's messages repeated at the start of the new one and
 * drops the old copy). A power loss loses at most the unacknowledged
 * messages of the last `offlineFlushMs` (`flushMs` for those in flight).
 * Flash holds `maxSegments` segments of up to 4,000 bytes; when full, the
 * oldest segment is dropped and its unacknowledged messages are counted in
 * `outbox_dropped`. Torn segments found at boot are skipped and counted in
 * `outbox_torn`. The index lags acknowledgements by up to `indexWriteMs`, so
 * a power loss can replay a few acknowledged messages (duplicates the
 * receiver recognises by seq). Nothing here throws: flash errors are counted
 * in `outbox_flash_errors`.
 */
export class OutboxV1 {
  #storage: Storage;
  #now: () => number;
  #counters: Counters;
  #log: Logger;
  #options: OutboxV1Options;
  #segments: Segment[] = [];
  #tail: OutboxEntry[] = [];
  #tailBytes = 0;
  #next = 0;
  #index: OutboxIndex = { generation: 0, head: 0, skip: 0, next: 0 };
  #indexDirty = false;
  #indexWrittenAt = -Infinity;
  /** The last segment while the tail may still top it up, with its size on flash. */
  #open: { n: number; bytes: number } | undefined;

  constructor(storage: Storage, now: () => number, counters: Counters, log: Logger, options: Partial<OutboxV1Options> = {}) {
    this.#options = { ...OUTBOX_DEFAULTS, ...options };
    const { maxSegments, flushMs, offlineFlushMs, indexWriteMs } = this.#options;
    if (!Number.isInteger(maxSegments) || maxSegments < 1) throw new RangeError(`maxSegments must be a positive integer, got ${maxSegments}`);
    if (!(flushMs >= 0)) throw new RangeError(`flushMs must be >= 0, got ${flushMs}`);
    if (!(offlineFlushMs >= 0)) throw new RangeError(`offlineFlushMs must be >= 0, got ${offlineFlushMs}`);
    if (!(indexWriteMs >= 0)) throw new RangeError(`indexWriteMs must be >= 0, got ${indexWriteMs}`);
    this.#storage = storage;
    this.#now = now;
    this.#counters = counters;
    this.#log = log;
    this.#load();
  }

  /** Messages not yet acknowledged (flash and RAM). */
  get depth(): number {
    let depth = 0;
    for (const s of this.#segments) depth += s.entries ? s.entries.filter((e) => !e.acked).length : s.count - s.skip;
    return depth + this.#tail.filter((e) => !e.acked).length;
  }

  /** Segments on flash now, and the bound. */
  get segments(): { used: number; max: number } {
    return { used: this.#segments.length, max: this.#options.maxSegments };
  }

  /** Messages waiting in RAM only (lost on power failure). */
  get unpersisted(): number {
    return this.#tail.filter((e) => !e.acked).length;
  }

  /** Queues a message; false (counted in `outbox_rejected`) when it can never fit a segment. */
  push(bytes: Uint8Array, historical: boolean): boolean {
    if (bytes.byteLength > ENTRY_MAX) {
      this.#counters.add("outbox_rejected");
      this.#log.error("outbox", `message of ${bytes.byteLength} bytes exceeds ${ENTRY_MAX}; rejected`);
      return false;
    }
    // The open segment and the tail are one segment in the making: full, it goes to flash and is closed.
    const base = this.#mergeable() ? this.#open!.bytes : SEGMENT_OVERHEAD;
    if (base + this.#tailBytes + ENTRY_OVERHEAD + bytes.byteLength > STORAGE_VALUE_MAX) {
      this.persist();
      if (this.#tail.length === 0) this.#open = undefined;
    }
    // Flash refused: the RAM tail stays bounded at about two segments, oldest dropped.
    while (this.#tail.length > 0 && this.#tailBytes + bytes.byteLength > 2 * STORAGE_VALUE_MAX) {
      const lost = this.#tail.shift()!;
      this.#tailBytes -= ENTRY_OVERHEAD + lost.bytes.byteLength;
      if (!lost.acked) this.#counters.add("outbox_dropped");
    }
    this.#tail.push({ bytes, historical, acked: false, at: this.#now() });
    this.#tailBytes += ENTRY_OVERHEAD + bytes.byteLength;
    return true;
  }

  /** The oldest message not in flight, loading its segment from flash when needed. */
  next(): OutboxEntry | undefined {
    for (let i = 0; i < this.#segments.length; i++) {
      const segment = this.#segments[i];
      const entries = this.#loaded(segment);
      if (!entries) { i--; continue; }
      const entry = entries.find((e) => !e.acked && e.packetId === undefined);
      if (entry) return entry;
    }
    return this.#tail.find((e) => !e.acked && e.packetId === undefined);
  }

  /** Records that `entry` went out as `packetId`. */
  sent(entry: OutboxEntry, packetId: number): void {
    entry.packetId = packetId;
    entry.sentAt = this.#now();
  }

  /** PUBACK for `packetId`: the message leaves the outbox. False for an unknown id. */
  ack(packetId: number): boolean {
    const entry = this.#find(packetId);
    if (!entry) return false;
    entry.acked = true;
    delete entry.packetId;
    delete entry.sentAt;
    this.#compact();
    return true;
  }

  /** The link is gone: messages in flight become unsent again (and historical). */
  requeueInFlight(): void {
    for (const s of this.#segments) for (const e of s.entries ?? []) if (e.packetId !== undefined) { delete e.packetId; delete e.sentAt; e.historical = true; }
    for (const e of this.#tail) if (e.packetId !== undefined) { delete e.packetId; delete e.sentAt; e.historical = true; }
  }

  /** Marks every queued message historical (called when the link goes down). */
  markHistorical(): void {
    for (const e of this.#tail) e.historical = true;
  }

  /** Periodic housekeeping: flush a RAM tail that waited long enough (see the options), write a stale index. */
  tick(): void {
    const now = this.#now();
    const { flushMs, offlineFlushMs } = this.#options;
    if (this.#tail.some((e) => !e.acked && (now - e.at >= offlineFlushMs || (e.sentAt !== undefined && now - e.sentAt >= flushMs)))) this.persist();
    if (this.#indexDirty && now - this.#indexWrittenAt >= this.#options.indexWriteMs) this.#writeIndex();
  }

  /**
   * Writes the RAM tail to flash now (shutdown, full tail): first topping up
   * the open segment, then as many new segments as it takes; and the index
   * when stale.
   */
  persist(): void {
    if (this.#indexDirty) this.#writeIndex();
    this.#tail = this.#tail.filter((e) => !e.acked);
    // Flash refused the top-up: the tail stays in RAM (bounded in push) for the next try.
    const refused = this.#tail.length > 0 && this.#mergeable() && !this.#topUp();
    while (!refused && this.#tail.length > 0) {
      let size = SEGMENT_OVERHEAD;
      let count = 0;
      while (count < this.#tail.length && size + ENTRY_OVERHEAD + this.#tail[count].bytes.byteLength <= STORAGE_VALUE_MAX) {
        size += ENTRY_OVERHEAD + this.#tail[count].bytes.byteLength;
        count++;
      }
      if (!this.#writeSegment(this.#tail.slice(0, count))) break;
      this.#tail = this.#tail.slice(count);
    }
    this.#tailBytes = this.#tail.reduce((sum, e) => sum + ENTRY_OVERHEAD + e.bytes.byteLength, 0);
  }

  /** The tail may top up the last segment: it is open and nothing of either is in flight. */
  #mergeable(): boolean {
    const last = this.#segments[this.#segments.length - 1];
    return last !== undefined && this.#open !== undefined && this.#open.n === last.n &&
      !(last.entries ?? []).some((e) => e.packetId !== undefined) && !this.#tail.some((e) => e.packetId !== undefined);
  }

  /**
   * Writes the open segment's unacknowledged messages and as much of the
   * tail as fits as a new segment, then deletes the old one (write new, then
   * switch); what does not fit stays in the tail. False (counted, logged)
   * when the flash refuses the write.
   */
  #topUp(): boolean {
    const last = this.#segments[this.#segments.length - 1];
    let size = this.#open!.bytes;
    let take = 0;
    while (take < this.#tail.length && size + ENTRY_OVERHEAD + this.#tail[take].bytes.byteLength <= STORAGE_VALUE_MAX) {
      size += ENTRY_OVERHEAD + this.#tail[take].bytes.byteLength;
      take++;
    }
    if (take === 0) {
      this.#open = undefined; // full: the tail starts a segment of its own
      return true;
    }
    let kept: Uint8Array[];
    if (last.entries) kept = last.entries.filter((e) => !e.acked).map((e) => e.bytes);
    else {
      const messages = this.#read(last.n);
      if (typeof messages === "string") {
        this.#open = undefined; // unreadable: left to `next()` to count, the tail goes to a segment of its own
        return true;
      }
      kept = messages.slice(last.skip);
    }
    const written = this.#store([...kept, ...this.#tail.slice(0, take).map((e) => e.bytes)]);
    if (!written) return false;
    const { n, bytes } = written;
    const wasHead = this.#segments.length === 1;
    this.#segments[this.#segments.length - 1] = { n, count: kept.length + take, skip: 0 };
    if (wasHead) this.#indexDirty = true;
    this.#delete(last.n);
    this.#open = { n, bytes: bytes.byteLength };
    this.#tail = this.#tail.slice(take);
    return true;
  }

  /**
   * Encodes `messages` as the next segment and writes it under a new key;
   * undefined (counted, logged) when the flash refuses it.
   */
  #store(messages: Uint8Array[]): { n: number; bytes: Uint8Array } | undefined {
    const n = this.#next;
    let bytes: Uint8Array;
    try {
      bytes = encodeSegment(n, messages);
      this.#storage.write(segmentKey(n), bytes);
    } catch (error) {
      this.#counters.add("outbox_flash_errors");
      this.#log.error("outbox", `cannot write segment ${n}: ${(error as Error).message}; kept in RAM`);
      return undefined;
    }
    this.#next = n + 1;
    this.#counters.add("outbox_segments_written");
    return { n, bytes };
  }

  /** Writes one segment; false (counted, logged) when the flash refuses it. */
  #writeSegment(entries: OutboxEntry[]): boolean {
    const written = this.#store(entries.map((e) => e.bytes));
    if (!written) return false;
    const { n, bytes } = written;
    const inFlight = entries.some((e) => e.packetId !== undefined);
    this.#segments.push({ n, count: entries.length, skip: 0, entries: inFlight ? entries : undefined });
    this.#open = { n, bytes: bytes.byteLength };
    // Only now, with the new segment safely written, does the oldest make room (a torn write loses nothing old).
    while (this.#segments.length > this.#options.maxSegments) this.#dropOldest();
    return true;
  }

  #loaded(segment: Segment): OutboxEntry[] | undefined {
    if (segment.entries) return segment.entries;
    const messages = this.#read(segment.n);
    if (typeof messages === "string") {
      this.#counters.add("outbox_torn");
      this.#counters.add("outbox_dropped", segment.count - segment.skip);
      this.#log.error("outbox", `${messages}; skipped`);
      this.#segments.splice(this.#segments.indexOf(segment), 1);
      this.#delete(segment.n);
      return undefined;
    }
    const at = this.#now();
    segment.entries = messages.map((bytes, i) => ({ bytes, historical: true, acked: i < segment.skip, at }));
    return segment.entries;
  }

  #read(n: number): Uint8Array[] | string {
    let bytes: Uint8Array | undefined;
    try {
      bytes = this.#storage.read(segmentKey(n));
    } catch (error) {
      return `segment ${n}: read failed: ${(error as Error).message}`;
    }
    return bytes ? decodeSegment(n, bytes) : `segment ${n}: missing`;
  }

  #find(packetId: number): OutboxEntry | undefined {
    for (const s of this.#segments) {
      const e = s.entries?.find((x) => x.packetId === packetId);
      if (e) return e;
    }
    return this.#tail.find((e) => e.packetId === packetId);
  }

  #compact(): void {
    while (this.#segments.length > 0) {
      const head = this.#segments[0];
      if (!head.entries) break;
      let skip = 0;
      while (skip < head.entries.length && head.entries[skip].acked) skip++;
      if (skip !== head.skip) { head.skip = skip; this.#indexDirty = true; }
      if (skip < head.entries.length) break;
      this.#segments.shift();
      this.#delete(head.n);
    }
    for (const s of this.#segments) {
      if (!s.entries) continue;
      let skip = 0;
      while (skip < s.entries.length && s.entries[skip].acked) skip++;
      s.skip = skip;
      // Nothing in flight: the messages can wait on flash instead of in RAM.
      if (s !== this.#segments[0] && !s.entries.some((e) => e.packetId !== undefined)) delete s.entries;
    }
    if (this.#tail.some((e) => e.acked)) {
      this.#tail = this.#tail.filter((e) => !e.acked);
      this.#tailBytes = this.#tail.reduce((sum, e) => sum + ENTRY_OVERHEAD + e.bytes.byteLength, 0);
    }
  }

  #dropOldest(): void {
    const oldest = this.#segments.shift()!;
    const lost = oldest.entries ? oldest.entries.filter((e) => !e.acked).length : oldest.count - oldest.skip;
    this.#counters.add("outbox_dropped", lost);
    this.#log.warn("outbox", `full (${this.#options.maxSegments} segments): dropped oldest segment ${oldest.n} with ${lost} message(s)`);
    this.#delete(oldest.n);
  }

  #delete(n: number): void {
    try {
      this.#storage.delete(segmentKey(n));
    } catch (error) {
      this.#counters.add("outbox_flash_errors");
      this.#log.error("outbox", `cannot delete segment ${n}: ${(error as Error).message}`);
    }
  }

  #writeIndex(): void {
    const head = this.#segments[0];
    const index: OutboxIndex = {
      generation: this.#index.generation + 1,
      head: head ? head.n : this.#next,
      skip: head ? head.skip : 0,
      next: this.#next,
    };
    try {
      this.#storage.write(INDEX_KEYS[index.generation % 2], encodeIndex(index));
      this.#index = index;
      this.#indexDirty = false;
      this.#indexWrittenAt = this.#now();
    } catch (error) {
      this.#counters.add("outbox_flash_errors");
      this.#log.error("outbox", `cannot write index: ${(error as Error).message}`);
    }
  }

  #load(): void {
    let keys: string[] = [];
    try {
      keys = this.#storage.keys();
    } catch (error) {
      this.#counters.add("outbox_flash_errors");
      this.#log.error("outbox", `cannot list flash: ${(error as Error).message}; starting empty`);
    }
    const indexes = INDEX_KEYS.map((key) => {
      try { return decodeIndex(this.#storage.read(key)); } catch { return undefined; }
    }).filter((i): i is OutboxIndex => i !== undefined);
    const index = indexes.sort((a, b) => b.generation - a.generation)[0];
    if (index) this.#index = index;
    const numbers = keys.map(segmentNumber).filter((n): n is number => n !== undefined).sort((a, b) => a - b);
    let restored = 0;
    let previous: { segment: Segment; messages: Uint8Array[] } | undefined;
    for (const n of numbers) {
      if (index && n < index.head) { this.#delete(n); continue; }
      const messages = this.#read(n);
      if (typeof messages === "string") {
        this.#counters.add("outbox_torn");
        this.#log.error("outbox", `${messages}; skipped`);
        this.#delete(n);
        continue;
      }
      const skip = index && n === index.head ? Math.min(index.skip, messages.length) : 0;
      if (previous && startsWith(messages, previous.messages.slice(previous.segment.skip))) {
        // A top-up whose old copy was not deleted (power loss in between): keep only the new copy.
        this.#segments.pop();
        restored -= previous.segment.count - previous.segment.skip;
        this.#delete(previous.segment.n);
      }
      const segment: Segment = { n, count: messages.length, skip };
      this.#segments.push(segment);
      restored += messages.length - skip;
      previous = { segment, messages };
    }
    if (previous && this.#segments[this.#segments.length - 1] === previous.segment) {
      let bytes = SEGMENT_OVERHEAD;
      for (const m of previous.messages) bytes += ENTRY_OVERHEAD + m.byteLength;
      this.#open = { n: previous.segment.n, bytes };
    }
    const last = numbers.length > 0 ? numbers[numbers.length - 1] + 1 : 0;
    this.#next = Math.max(last, index ? Math.max(index.next, index.head) : 0);
    while (this.#segments.length > this.#options.maxSegments) this.#dropOldest();
    if (restored > 0) this.#log.info("outbox", `restored ${restored} message(s) in ${this.#segments.length} segment(s) from flash`);
  }
}

/** True when `messages` begins with every message of `prefix`, byte for byte (packs carry a unique boot id and seq, so only a copy matches). */
function startsWith(messages: readonly Uint8Array[], prefix: readonly Uint8Array[]): boolean {
  if (prefix.length > messages.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    const a = messages[i];
    const b = prefix[i];
    if (a.byteLength !== b.byteLength) return false;
    for (let j = 0; j < a.byteLength; j++) if (a[j] !== b[j]) return false;
  }
  return true;
}

// The v1 flash format, as outbox-format.ts had it.
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
const SEGMENT_OVERHEAD = SEGMENT_HEADER + CRC_BYTES;
/** Per-message framing inside a segment. */
const ENTRY_OVERHEAD = 2;
/** Largest message one segment can hold. */
const ENTRY_MAX = STORAGE_VALUE_MAX - SEGMENT_OVERHEAD - ENTRY_OVERHEAD;

/** Storage key of segment `n`. */
function segmentKey(n: number): string {
  return `ob.${n}`;
}

/** Segment number from a storage key, or undefined for other keys. */
function segmentNumber(key: string): number | undefined {
  const match = /^ob\.(\d{1,10})$/.exec(key);
  if (!match) return undefined;
  const n = Number(match[1]);
  return n <= 0xffffffff ? n : undefined;
}

const INDEX_KEYS = ["ob.ia", "ob.ib"] as const;

/** Encodes segment `n`; throws RangeError when the messages exceed one storage value. */
function encodeSegment(n: number, messages: readonly Uint8Array[]): Uint8Array {
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
function decodeSegment(n: number, bytes: Uint8Array): Uint8Array[] | string {
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
interface OutboxIndex {
  generation: number;
  head: number;
  skip: number;
  next: number;
}

function encodeIndex(index: OutboxIndex): Uint8Array {
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
function decodeIndex(bytes: Uint8Array | undefined): OutboxIndex | undefined {
  if (!bytes || bytes.byteLength !== INDEX_BYTES) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(19) !== crc32(bytes, 0, 19)) return undefined;
  if (!INDEX_MAGIC.every((b, i) => bytes[i] === b) || bytes[4] !== VERSION) return undefined;
  return { generation: view.getUint32(5), head: view.getUint32(9), skip: view.getUint16(13), next: view.getUint32(15) };
}
