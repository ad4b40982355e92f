import type { Counters } from "../counters.js";
import type { Logger } from "../log.js";
import { STORAGE_VALUE_MAX, type Storage } from "../platform.js";
import {
  decodeIndex, decodeSegment, encodeIndex, encodeSegment, ENTRY_MAX, ENTRY_OVERHEAD, INDEX_KEYS,
  SEGMENT_OVERHEAD, segmentKey, segmentNumber, type OutboxIndex,
} from "./outbox-format.js";

/** Tunables of the persistent outbox; defaults in `OUTBOX_DEFAULTS`. */
export interface OutboxOptions {
  /** Segments kept on flash; a full outbox drops its oldest segment (counted in `outbox_dropped`). */
  maxSegments: number;
  /** An unacknowledged message waits at most this long in RAM before it is written to flash. */
  flushMs: number;
  /** The head's acknowledged count is written to the index at most this often (flash wear). */
  indexWriteMs: number;
}

export const OUTBOX_DEFAULTS: Readonly<OutboxOptions> = Object.freeze({ maxSegments: 64, flushMs: 5000, indexWriteMs: 10_000 });

/** One queued QoS 1 message. */
export interface OutboxEntry {
  readonly bytes: Uint8Array;
  /** Waited for a broker (queued while offline, in flight at a disconnect, or restored from flash). */
  historical: boolean;
  /** Packet id while in flight. */
  packetId?: number;
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
 * RAM tail; the tail is written to flash as one segment when it would
 * outgrow a segment or its oldest unacknowledged message is `flushMs` old,
 * so a healthy link never writes flash. A power loss loses at most the
 * unacknowledged messages of the last `flushMs`. Flash holds `maxSegments`
 * segments of up to 4,000 bytes; when full, the oldest segment is dropped
 * and its unacknowledged messages are counted in `outbox_dropped`. Torn
 * segments found at boot are skipped and counted in `outbox_torn`. The index
 * lags acknowledgements by up to `indexWriteMs`, so a power loss can replay
 * a few acknowledged messages (duplicates the receiver recognises by seq).
 * Nothing here throws: flash errors are counted in `outbox_flash_errors`.
 */
export class Outbox {
  #storage: Storage;
  #now: () => number;
  #counters: Counters;
  #log: Logger;
  #options: OutboxOptions;
  #segments: Segment[] = [];
  #tail: OutboxEntry[] = [];
  #tailBytes = 0;
  #next = 0;
  #index: OutboxIndex = { generation: 0, head: 0, skip: 0, next: 0 };
  #indexDirty = false;
  #indexWrittenAt = -Infinity;

  constructor(storage: Storage, now: () => number, counters: Counters, log: Logger, options: Partial<OutboxOptions> = {}) {
    this.#options = { ...OUTBOX_DEFAULTS, ...options };
    const { maxSegments, flushMs, indexWriteMs } = this.#options;
    if (!Number.isInteger(maxSegments) || maxSegments < 1) throw new RangeError(`maxSegments must be a positive integer, got ${maxSegments}`);
    if (!(flushMs >= 0)) throw new RangeError(`flushMs must be >= 0, got ${flushMs}`);
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
    if (SEGMENT_OVERHEAD + this.#tailBytes + ENTRY_OVERHEAD + bytes.byteLength > STORAGE_VALUE_MAX) this.persist();
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
  }

  /** PUBACK for `packetId`: the message leaves the outbox. False for an unknown id. */
  ack(packetId: number): boolean {
    const entry = this.#find(packetId);
    if (!entry) return false;
    entry.acked = true;
    delete entry.packetId;
    this.#compact();
    return true;
  }

  /** The link is gone: messages in flight become unsent again (and historical). */
  requeueInFlight(): void {
    for (const s of this.#segments) for (const e of s.entries ?? []) if (e.packetId !== undefined) { delete e.packetId; e.historical = true; }
    for (const e of this.#tail) if (e.packetId !== undefined) { delete e.packetId; e.historical = true; }
  }

  /** Marks every queued message historical (called when the link goes down). */
  markHistorical(): void {
    for (const e of this.#tail) e.historical = true;
  }

  /** Periodic housekeeping: flush an old RAM tail, write a stale index. */
  tick(): void {
    const now = this.#now();
    const oldest = this.#tail.find((e) => !e.acked);
    if (oldest && now - oldest.at >= this.#options.flushMs) this.persist();
    if (this.#indexDirty && now - this.#indexWrittenAt >= this.#options.indexWriteMs) this.#writeIndex();
  }

  /** Writes the RAM tail to flash now (shutdown, full tail), as many segments as it takes, and the index when stale. */
  persist(): void {
    if (this.#indexDirty) this.#writeIndex();
    this.#tail = this.#tail.filter((e) => !e.acked);
    while (this.#tail.length > 0) {
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

  /** Writes one segment; false (counted, logged) when the flash refuses it. */
  #writeSegment(entries: OutboxEntry[]): boolean {
    const n = this.#next;
    try {
      this.#storage.write(segmentKey(n), encodeSegment(n, entries.map((e) => e.bytes)));
    } catch (error) {
      this.#counters.add("outbox_flash_errors");
      this.#log.error("outbox", `cannot write segment ${n}: ${(error as Error).message}; kept in RAM`);
      return false;
    }
    this.#next = n + 1;
    this.#counters.add("outbox_segments_written");
    const inFlight = entries.some((e) => e.packetId !== undefined);
    this.#segments.push({ n, count: entries.length, skip: 0, entries: inFlight ? entries : undefined });
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
      this.#segments.push({ n, count: messages.length, skip });
      restored += messages.length - skip;
    }
    const last = numbers.length > 0 ? numbers[numbers.length - 1] + 1 : 0;
    this.#next = Math.max(last, index ? Math.max(index.next, index.head) : 0);
    while (this.#segments.length > this.#options.maxSegments) this.#dropOldest();
    if (restored > 0) this.#log.info("outbox", `restored ${restored} message(s) in ${this.#segments.length} segment(s) from flash`);
  }
}
