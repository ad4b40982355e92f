import type { Counters } from "../counters.js";
import type { Logger } from "../log.js";
import { STORAGE_VALUE_MAX, type Storage } from "../platform.js";
import {
  decodeIndex, decodeSegment, encodeIndex, encodeSegment, ENTRY_MAX, ENTRY_OVERHEAD, INDEX_KEYS, LEVEL_MAX,
  SEGMENT_OVERHEAD, segmentKey, segmentNumber, type DecodedSegment, type OutboxIndex, type SegmentHeader,
} from "./outbox-format.js";
import { planRoom, thinMessages, type RoomView } from "./outbox-thinning.js";
import { SegmentTable } from "./segment-table.js";

/** Tunables of the persistent outbox; defaults in `OUTBOX_DEFAULTS`. */
export interface OutboxOptions {
  /**
   * Flash the outbox may use, in segments of 4,000 bytes: `maxSegments` − 1
   * full segments plus one segment's worth of journal. Beyond it the oldest
   * data is thinned (see `Outbox`).
   */
  maxSegments: number;
  /**
   * A message queued on a live link that has no PUBACK this long after it
   * was queued goes to the journal: on a healthy link the PUBACK comes
   * first, so a healthy link writes no flash.
   */
  flushMs: number;
  /** A message queued while offline waits this long in RAM before the journal takes it; 0 (default): at once. */
  offlineFlushMs: number;
  /** The head's acknowledged count is written to the index at most this often (flash wear). */
  indexWriteMs: number;
}

export const OUTBOX_DEFAULTS: Readonly<OutboxOptions> = Object.freeze({ maxSegments: 64, flushMs: 5000, offlineFlushMs: 0, indexWriteMs: 10_000 });

/** One queued QoS 1 message. */
export interface OutboxEntry {
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
  /** Numbers the messages in the order they were queued (thinning keeps multiples of 2^level). */
  readonly ordinal: number;
}

/**
 * A bounded, persistent FIFO of QoS 1 messages (telemetry packs). Messages
 * go out oldest first and leave only on their PUBACK.
 *
 * Journal: a message queued while offline is written at once as a small
 * record of its own (a small segment flagged `record`); one queued on a live link
 * only when it has waited `flushMs` without PUBACK. When the next record
 * would not fit one segment beside the trailing records, they are
 * consolidated into one full segment (written under a new number, then the
 * records deleted). So a power loss loses no message that reached the
 * outbox while offline, and flash fills with full segments.
 *
 * Every write goes to a new key; a segment names the range of older segment
 * numbers it replaces, so if power fails before the old keys are deleted
 * the next boot deletes them (never overwritten in place). Torn records
 * fail their CRC, are skipped and counted in `outbox_torn`.
 *
 * Overflow: beyond `maxSegments`, the oldest data is thinned rather than
 * dropped: adjacent segments that fit together are joined; else the two
 * oldest segments at the finest level present become one that keeps every
 * other message, and messages queued offline from then on are kept 1 in 2
 * (then 1 in 4, ...: `level`). A long outage thus leaves a complete, evenly
 * coarser history. Thinned messages are counted in `outbox_thinned`; a
 * segment dropped whole (only when nothing else can be done: flash errors,
 * everything in flight) in `outbox_dropped`. The level returns to 0 with
 * the first message queued on a live link. The index lags acknowledgements
 * by up to `indexWriteMs`, so a power loss can replay a few acknowledged
 * messages (duplicates the receiver recognises by seq). Nothing here
 * throws: flash errors are counted in `outbox_flash_errors` and the
 * messages stay in RAM (bounded at two segments, oldest dropped, counted).
 * Reads the v1 flash format of the previous firmware (docs/contracts.md).
 */
export class Outbox {
  #storage: Storage;
  #now: () => number;
  #counters: Counters;
  #log: Logger;
  #options: OutboxOptions;
  /** Segments in time order (by `lo`), one typed-array row each; the last `#room.journal` are journal records. */
  #table: SegmentTable;
  /** What `planRoom` sees of the closed segments (one object for the outbox's life, no array per call). */
  #room: ClosedSegments;
  /** The head's `lo`, read from flash once per head (for the index). */
  #headLo = -1;
  #headLoOf = -1;
  #tail: OutboxEntry[] = [];
  #tailBytes = 0;
  #next = 0;
  #index: OutboxIndex = { generation: 0, head: 0, headLo: 0, skip: 0, next: 0 };
  #indexDirty = false;
  #indexWrittenAt = -Infinity;
  /** Messages queued offline keep 1 in 2^level. */
  #level = 0;
  /** The next message's ordinal. */
  #ordinal = 0;

  constructor(storage: Storage, now: () => number, counters: Counters, log: Logger, options: Partial<OutboxOptions> = {}) {
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
    this.#table = new SegmentTable(maxSegments + JOURNAL_ROWS);
    this.#room = new ClosedSegments(this.#table);
    this.#load();
  }

  /** Messages not yet acknowledged (flash and RAM). */
  get depth(): number {
    const table = this.#table;
    let depth = 0;
    for (let i = 0; i < table.length; i++) {
      const entries = table.entries(i);
      depth += entries ? countUnacked(entries) : table.count(i) - table.skip(i);
    }
    return depth + countUnacked(this.#tail);
  }

  /** Flash in use and the bound, in segments (the journal counts as one). */
  get segments(): { used: number; max: number } {
    return { used: this.#table.length - this.#room.journal + (this.#room.journal > 0 ? 1 : 0), max: this.#options.maxSegments };
  }

  /** Messages waiting in RAM only (lost on power failure). */
  get unpersisted(): number {
    return countUnacked(this.#tail);
  }

  /** Thinning level of messages queued offline: 1 in 2^level is kept (0: all). */
  get level(): number {
    return this.#level;
  }

  /** Queues a message; false (counted in `outbox_rejected`) when it can never fit a segment. True also when thinning skipped it (counted in `outbox_thinned`). */
  push(bytes: Uint8Array, historical: boolean): boolean {
    if (bytes.byteLength > ENTRY_MAX) {
      this.#counters.add("outbox_rejected");
      this.#log.error("outbox", `message of ${bytes.byteLength} bytes exceeds ${ENTRY_MAX}; rejected`);
      return false;
    }
    const ordinal = this.#ordinal;
    this.#ordinal = (ordinal + 1) % 2 ** 32;
    if (!historical) this.#level = 0;
    else if (ordinal % 2 ** this.#level !== 0) {
      this.#counters.add("outbox_thinned");
      return true;
    }
    // A tail that would outgrow a segment goes to the journal (a live link behind a backlog).
    if (this.#tailBytes + ENTRY_OVERHEAD + bytes.byteLength > STORAGE_VALUE_MAX - SEGMENT_OVERHEAD) this.persist();
    // Flash refused: the RAM tail stays bounded at about two segments, oldest dropped.
    while (this.#tail.length > 0 && this.#tailBytes + bytes.byteLength > 2 * STORAGE_VALUE_MAX) {
      const lost = this.#tail.shift()!;
      this.#tailBytes -= ENTRY_OVERHEAD + lost.bytes.byteLength;
      if (!lost.acked) this.#counters.add("outbox_dropped");
    }
    this.#tail.push({ bytes, historical, acked: false, at: this.#now(), ordinal });
    this.#tailBytes += ENTRY_OVERHEAD + bytes.byteLength;
    if (historical && this.#options.offlineFlushMs === 0) this.persist();
    return true;
  }

  /** The oldest message not in flight, loading its segment from flash when needed. */
  next(): OutboxEntry | undefined {
    for (let i = 0; i < this.#table.length; i++) {
      const entries = this.#loaded(i);
      if (!entries) { i--; continue; }
      const entry = firstUnsent(entries);
      if (entry) return entry;
    }
    return firstUnsent(this.#tail);
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
    for (let i = 0; i < this.#table.length; i++) requeue(this.#table.entries(i));
    requeue(this.#tail);
  }

  /** Marks every queued message historical (the link went down); with `offlineFlushMs` 0 they go to the journal now. */
  markHistorical(): void {
    for (const e of this.#tail) e.historical = true;
    if (this.#options.offlineFlushMs === 0 && this.#tail.length > 0) this.persist();
  }

  /** Periodic housekeeping: journal the RAM messages that waited long enough (see the options), write a stale index. */
  tick(): void {
    const now = this.#now();
    const { flushMs, offlineFlushMs } = this.#options;
    let due = false;
    for (const e of this.#tail) if (!e.acked && now - e.at >= (e.historical ? offlineFlushMs : flushMs)) due = true;
    if (due) this.persist();
    if (this.#indexDirty && now - this.#indexWrittenAt >= this.#options.indexWriteMs) this.#writeIndex();
  }

  /** Writes the RAM tail to the journal now (shutdown, link lost), and the index when stale. */
  persist(): void {
    if (this.#indexDirty) this.#writeIndex();
    this.#tail = unacked(this.#tail);
    while (this.#tail.length > 0) {
      let size = SEGMENT_OVERHEAD;
      let count = 0;
      while (count < this.#tail.length && size + ENTRY_OVERHEAD + this.#tail[count].bytes.byteLength <= STORAGE_VALUE_MAX) {
        size += ENTRY_OVERHEAD + this.#tail[count].bytes.byteLength;
        count++;
      }
      if (!this.#appendRecord(this.#tail.slice(0, count), size)) break;
      this.#tail = this.#tail.slice(count);
    }
    this.#tailBytes = framedUnacked(this.#tail) - SEGMENT_OVERHEAD;
  }

  /** Removes `count` rows at `at`, keeping the journal count right. */
  #remove(at: number, count: number): void {
    const journalStart = this.#table.length - this.#room.journal;
    this.#room.journal -= Math.max(0, at + count - Math.max(at, journalStart));
    this.#table.remove(at, count);
  }

  /**
   * Writes `entries` (framed size `size`) as one journal record, first
   * consolidating the journal when the record would not fit beside it or
   * the level changed. False (counted, logged) when the flash refuses the record.
   */
  #appendRecord(entries: OutboxEntry[], size: number): boolean {
    const table = this.#table;
    const start = table.length - this.#room.journal;
    let bytes = SEGMENT_OVERHEAD;
    for (let i = start; i < table.length; i++) bytes += table.bytes(i) - SEGMENT_OVERHEAD;
    const other = this.#room.journal > 0 && table.level(start) !== this.#level;
    if (this.#room.journal > 0 && (other || bytes + size - SEGMENT_OVERHEAD > STORAGE_VALUE_MAX)) this.#consolidate();
    const n = this.#next;
    if (!this.#write({ n, lo: n, hi: n, level: this.#level, record: true }, entries)) return false;
    table.push(n, this.#level, entries.length, kept(size), 0, inFlight(entries) ? entries : undefined);
    this.#room.journal++;
    this.#makeRoom();
    return true;
  }

  /**
   * Rewrites the journal records as one closed segment; a single record,
   * or records the flash refuses to rewrite, just close as they are.
   * Records are written fresh (lo = hi = n), so the range is first n to last n.
   */
  #consolidate(): void {
    const table = this.#table;
    let done = false;
    if (this.#room.journal > 1) {
      const records: number[] = [];
      for (let i = table.length - this.#room.journal; i < table.length; i++) records.push(table.n(i));
      const sources: number[] = [];
      const entries: OutboxEntry[] = [];
      let level = 0;
      for (const n of records) {
        const i = table.indexOf(n);
        const loaded = this.#loaded(i); // torn ones are skipped and counted
        if (!loaded) continue;
        if (sources.length === 0) level = table.level(i);
        sources.push(n);
        for (const e of loaded) if (!e.acked) entries.push(e);
      }
      done = sources.length > 0 && this.#replace(sources, entries, level, sources[0], sources[sources.length - 1]);
    }
    if (!done) {
      for (let i = table.length - this.#room.journal; i < table.length; i++) if (i !== 0 && !inFlight(table.entries(i))) table.setEntries(i, undefined);
      this.#room.journal = 0;
    }
    this.#makeRoom();
  }

  /**
   * Writes `entries` as one new closed segment that stands for the segments
   * numbered `sources` (adjacent, in time order, covering lo..hi), then
   * deletes the sources (write new, then switch). False (counted, logged)
   * when the flash refuses the write.
   */
  #replace(sources: readonly number[], entries: OutboxEntry[], level: number, lo: number, hi: number): boolean {
    const first = this.#table.indexOf(sources[0]);
    const n = this.#next;
    if (entries.length > 0 && !this.#write({ n, lo, hi, level, record: false }, entries)) return false;
    this.#remove(first, sources.length);
    if (entries.length > 0) this.#table.insert(first, n, level, entries.length, kept(framedUnacked(entries)), 0, inFlight(entries) ? entries : undefined);
    if (first === 0) this.#indexDirty = true;
    for (const s of sources) this.#delete(s);
    return true;
  }

  /** The unacknowledged entries of row `i` and its range, read from flash; undefined (skipped, counted) when unreadable. */
  #source(i: number): { entries: OutboxEntry[]; lo: number; hi: number } | undefined {
    const decoded = this.#read(this.#table.n(i));
    if (typeof decoded !== "string") {
      const entries = this.#loaded(i);
      return entries ? { entries: unacked(entries), lo: decoded.lo, hi: decoded.hi } : undefined;
    }
    this.#torn(i, decoded);
    return undefined;
  }

  /** Keeps the closed segments within `maxSegments` − 1 (the journal takes the last): join, thin, or at worst drop the oldest. */
  #makeRoom(): void {
    const table = this.#table;
    const limit = Math.max(1, this.#options.maxSegments - 1);
    for (let guard = 0; guard < 4 * this.#options.maxSegments + 8; guard++) {
      if (this.#room.length <= limit) return;
      const step = planRoom(this.#room);
      if (!step) return;
      if (step.kind === "drop") { this.#drop(step.at); continue; }
      const count = step.kind === "thin-one" ? 1 : 2;
      const sources = count === 1 ? [table.n(step.at)] : [table.n(step.at), table.n(step.at + 1)];
      const base = count === 1 ? table.level(step.at) : Math.min(table.level(step.at), table.level(step.at + 1));
      const first = this.#source(step.at);
      const second = first && count === 2 ? this.#source(table.indexOf(sources[1])) : undefined;
      if (!first || (count === 2 && !second)) continue; // torn: skipped and counted, which made room
      const entries = second ? first.entries.concat(second.entries) : first.entries;
      const lo = first.lo;
      const hi = second ? Math.max(first.hi, second.hi) : first.hi;
      if (step.kind === "concat" && framedUnacked(entries) <= STORAGE_VALUE_MAX) {
        if (!this.#replace(sources, entries, base, lo, hi)) this.#drop(table.indexOf(sources[0]));
        continue;
      }
      const { kept: thinned, level } = thinMessages(entries, base);
      this.#level = Math.max(this.#level, Math.min(LEVEL_MAX, base + 1));
      if (!this.#replace(sources, thinned, level, lo, hi)) { this.#drop(table.indexOf(sources[0])); continue; }
      const lost = entries.length - thinned.length;
      this.#counters.add("outbox_thinned", lost);
      this.#log.warn("outbox", `full (${this.#options.maxSegments} segments): thinned the oldest data to 1 pack in ${2 ** level} (${lost} dropped, ${thinned.length} kept); new packs 1 in ${2 ** this.#level} while offline`);
    }
  }

  /**
   * Encodes and writes a segment under `header.n` (the next number); false
   * (counted, logged) when the flash refuses it.
   */
  #write(header: SegmentHeader, entries: readonly OutboxEntry[]): boolean {
    try {
      const messages: Uint8Array[] = [];
      const ordinals: number[] = [];
      for (const e of entries) { messages.push(e.bytes); ordinals.push(e.ordinal); }
      this.#storage.write(segmentKey(header.n), encodeSegment(header, messages, ordinals));
    } catch (error) {
      this.#counters.add("outbox_flash_errors");
      this.#log.error("outbox", `cannot write segment ${header.n}: ${(error as Error).message}; kept in RAM`);
      return false;
    }
    this.#next = header.n + 1;
    this.#counters.add("outbox_segments_written");
    return true;
  }

  /** The messages of row `i`, read from flash when not loaded; undefined (the row skipped, counted) when unreadable. */
  #loaded(i: number): OutboxEntry[] | undefined {
    const table = this.#table;
    const have = table.entries(i);
    if (have) return have;
    const decoded = this.#read(table.n(i));
    if (typeof decoded === "string") {
      this.#torn(i, decoded);
      return undefined;
    }
    const at = this.#now();
    const skip = table.skip(i);
    const entries: OutboxEntry[] = [];
    for (let k = 0; k < decoded.messages.length; k++) entries.push({ bytes: decoded.messages[k], historical: true, acked: k < skip, at, ordinal: decoded.ordinals[k] });
    table.setEntries(i, entries);
    return entries;
  }

  /** Row `i` cannot be read any more: skipped, its messages counted as dropped. */
  #torn(i: number, why: string): void {
    const n = this.#table.n(i);
    this.#counters.add("outbox_torn");
    this.#counters.add("outbox_dropped", this.#table.count(i) - this.#table.skip(i));
    this.#log.error("outbox", `${why}; skipped`);
    this.#remove(i, 1);
    this.#delete(n);
  }

  #read(n: number): DecodedSegment | string {
    let bytes: Uint8Array | undefined;
    try {
      bytes = this.#storage.read(segmentKey(n));
    } catch (error) {
      return `segment ${n}: read failed: ${(error as Error).message}`;
    }
    return bytes ? decodeSegment(n, bytes) : `segment ${n}: missing`;
  }

  #find(packetId: number): OutboxEntry | undefined {
    for (let i = 0; i < this.#table.length; i++) {
      const entries = this.#table.entries(i);
      if (entries) for (const e of entries) if (e.packetId === packetId) return e;
    }
    for (const e of this.#tail) if (e.packetId === packetId) return e;
    return undefined;
  }

  #compact(): void {
    const table = this.#table;
    while (table.length > 0) {
      const entries = table.entries(0);
      if (!entries) break;
      const skip = ackedPrefix(entries);
      if (skip !== table.skip(0)) { table.setSkip(0, skip); this.#indexDirty = true; }
      if (skip < entries.length) break;
      const n = table.n(0);
      this.#remove(0, 1);
      this.#delete(n);
    }
    for (let i = 0; i < table.length; i++) {
      const entries = table.entries(i);
      if (!entries) continue;
      table.setSkip(i, ackedPrefix(entries));
      // Nothing in flight: the messages can wait on flash instead of in RAM.
      if (i !== 0 && !inFlight(entries)) table.setEntries(i, undefined);
    }
    if (countUnacked(this.#tail) < this.#tail.length) {
      this.#tail = unacked(this.#tail);
      this.#tailBytes = framedUnacked(this.#tail) - SEGMENT_OVERHEAD;
    }
  }

  #drop(i: number): void {
    const table = this.#table;
    const n = table.n(i);
    const entries = table.entries(i);
    const lost = entries ? countUnacked(entries) : table.count(i) - table.skip(i);
    this.#remove(i, 1);
    this.#counters.add("outbox_dropped", lost);
    this.#log.warn("outbox", `full (${this.#options.maxSegments} segments): dropped segment ${n} with ${lost} message(s)`);
    this.#delete(n);
  }

  #delete(n: number): void {
    try {
      this.#storage.delete(segmentKey(n));
    } catch (error) {
      this.#counters.add("outbox_flash_errors");
      this.#log.error("outbox", `cannot delete segment ${n}: ${(error as Error).message}`);
    }
  }

  /** The head's `lo` for the index: read once per head; 0 when unreadable (the next boot then deletes nothing as stale). */
  #loOf(n: number): number {
    if (this.#headLoOf !== n) {
      const decoded = this.#read(n);
      this.#headLoOf = n;
      this.#headLo = typeof decoded === "string" ? 0 : decoded.lo;
    }
    return this.#headLo;
  }

  #writeIndex(): void {
    const table = this.#table;
    const head = table.length > 0;
    const index: OutboxIndex = {
      generation: this.#index.generation + 1,
      head: head ? table.n(0) : this.#next,
      headLo: head ? this.#loOf(table.n(0)) : this.#next,
      skip: head ? table.skip(0) : 0,
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

  /**
   * Finds the segments on flash (v2, or v1 of the previous firmware): torn
   * ones are skipped and counted, acknowledged ones (before the index's
   * head) and superseded ones (inside the range of a later segment, or a v1
   * top-up's old copy) deleted; the trailing journal records are loaded.
   * What it learns goes to typed-array rows (no object per segment, also
   * at boot with a full outbox).
   */
  #load(): void {
    let keys: string[] = [];
    try {
      keys = this.#storage.keys();
    } catch (error) {
      this.#counters.add("outbox_flash_errors");
      this.#log.error("outbox", `cannot list flash: ${(error as Error).message}; starting empty`);
    }
    let index: OutboxIndex | undefined;
    for (const key of INDEX_KEYS) {
      let found: OutboxIndex | undefined;
      try { found = decodeIndex(this.#storage.read(key)); } catch { found = undefined; }
      if (found && (!index || found.generation > index.generation)) index = found;
    }
    if (index) this.#index = index;
    const numbers: number[] = [];
    for (const key of keys) {
      const n = segmentNumber(key);
      if (n !== undefined) numbers.push(n);
    }
    keys = [];
    numbers.sort((a, b) => b - a);
    this.#next = Math.max(numbers.length > 0 ? numbers[0] + 1 : 0, index ? Math.max(index.next, index.head + 1) : 0);
    // Newest first: a segment overlapping the range of one written later was replaced by it.
    const found = new SegmentTable(Math.max(1, numbers.length));
    const los = new Uint32Array(Math.max(1, numbers.length));
    const his = new Uint32Array(Math.max(1, numbers.length));
    /** Bit 0: a journal record; bit 1: format v1. */
    const flags = new Uint8Array(Math.max(1, numbers.length));
    for (const n of numbers) {
      const decoded = this.#read(n);
      if (typeof decoded === "string") {
        this.#counters.add("outbox_torn");
        this.#log.error("outbox", `${decoded}; skipped`);
        this.#delete(n);
        continue;
      }
      let superseded = index !== undefined && decoded.hi < index.headLo;
      for (let k = 0; k < found.length && !superseded; k++) superseded = decoded.lo <= his[k] && los[k] <= decoded.hi;
      if (superseded) { this.#delete(n); continue; }
      const { messages, ordinals, version, lo, hi, level, record } = decoded;
      const skip = index && n === index.head ? Math.min(index.skip, messages.length) : 0;
      if (version > 1 && ordinals.length > 0) this.#ordinal = Math.max(this.#ordinal, (ordinals[ordinals.length - 1] + 1) % 2 ** 32);
      let bytes = SEGMENT_OVERHEAD;
      for (let k = skip; k < messages.length; k++) bytes += ENTRY_OVERHEAD + messages[k].byteLength;
      los[found.length] = lo;
      his[found.length] = hi;
      flags[found.length] = (record ? 1 : 0) | (version === 1 ? 2 : 0);
      found.push(n, level, messages.length, kept(bytes), skip);
    }
    const order: number[] = [];
    for (let k = 0; k < found.length; k++) order.push(k);
    order.sort((a, b) => los[a] - los[b]);
    for (let i = 1; i < order.length; i++) {
      const [previous, segment] = [order[i - 1], order[i]];
      // A v1 top-up whose old copy was not deleted (power loss in between): keep only the new copy.
      if ((flags[previous] & 2) !== 0 && (flags[segment] & 2) !== 0 && this.#repeats(found.n(segment), found.n(previous), found.skip(previous))) {
        this.#delete(found.n(previous));
        order.splice(i - 1, 1);
        i--;
      }
    }
    // Only the trailing records are the journal; one that a later segment follows was closed before the reboot.
    this.#room.journal = 0;
    while (this.#room.journal < order.length && (flags[order[order.length - 1 - this.#room.journal]] & 1) !== 0) this.#room.journal++;
    this.#table.clear();
    for (const k of order) this.#table.push(found.n(k), found.level(k), found.count(k), found.bytes(k), found.skip(k));
    this.#level = this.#table.length > 0 ? this.#table.level(this.#table.length - 1) : 0;
    const restored = this.depth;
    this.#makeRoom();
    if (restored > 0) this.#log.info("outbox", `restored ${restored} message(s) in ${this.#table.length} segment(s) from flash`);
  }

  /** True when segment `later` begins with every unacknowledged message of `earlier` (past its `skip` acknowledged ones), byte for byte (packs carry a unique boot id and seq, so only a copy matches). */
  #repeats(later: number, earlier: number, skip: number): boolean {
    const [a, b] = [this.#read(later), this.#read(earlier)];
    if (typeof a === "string" || typeof b === "string") return false;
    if (b.messages.length - skip > a.messages.length) return false;
    for (let i = skip; i < b.messages.length; i++) if (!sameBytes(b.messages[i], a.messages[i - skip])) return false;
    return true;
  }
}

/** What `planRoom` sees: the closed rows of the table (all but the trailing `journal` records); methods on the prototype, so no closure per outbox. */
class ClosedSegments implements RoomView {
  readonly table: SegmentTable;
  journal = 0;

  constructor(table: SegmentTable) {
    this.table = table;
  }

  get length(): number {
    return this.table.length - this.journal;
  }

  level(i: number): number {
    return this.table.level(i);
  }

  count(i: number): number {
    const e = this.table.entries(i);
    return e ? countUnacked(e) : this.table.count(i) - this.table.skip(i);
  }

  bytes(i: number): number {
    const e = this.table.entries(i);
    return e ? framedUnacked(e) : this.table.bytes(i);
  }

  busy(i: number): boolean {
    return inFlight(this.table.entries(i));
  }
}

/** Rows the segment table holds beyond `maxSegments` before it grows (journal records waiting to be consolidated). */
const JOURNAL_ROWS = 16;

/** A segment this full is recorded as STORAGE_VALUE_MAX bytes: no other segment of useful size can join it. */
const FULL_BYTES = 3000;

/** The bytes a row records for a segment of `bytes` (see FULL_BYTES). */
function kept(bytes: number): number {
  return bytes <= FULL_BYTES ? bytes : STORAGE_VALUE_MAX;
}

/** Bytes the unacknowledged `entries` take as one segment. */
function framedUnacked(entries: readonly OutboxEntry[]): number {
  let size = SEGMENT_OVERHEAD;
  for (const e of entries) if (!e.acked) size += ENTRY_OVERHEAD + e.bytes.byteLength;
  return size;
}

function unacked(entries: readonly OutboxEntry[]): OutboxEntry[] {
  const out: OutboxEntry[] = [];
  for (const e of entries) if (!e.acked) out.push(e);
  return out;
}

function countUnacked(entries: readonly OutboxEntry[]): number {
  let count = 0;
  for (const e of entries) if (!e.acked) count++;
  return count;
}

function ackedPrefix(entries: readonly OutboxEntry[]): number {
  let skip = 0;
  while (skip < entries.length && entries[skip].acked) skip++;
  return skip;
}

function firstUnsent(entries: readonly OutboxEntry[]): OutboxEntry | undefined {
  for (const e of entries) if (!e.acked && e.packetId === undefined) return e;
  return undefined;
}

function inFlight(entries: readonly OutboxEntry[] | undefined): boolean {
  if (entries) for (const e of entries) if (e.packetId !== undefined) return true;
  return false;
}

function requeue(entries: OutboxEntry[] | undefined): void {
  if (entries) for (const e of entries) if (e.packetId !== undefined) { delete e.packetId; delete e.sentAt; e.historical = true; }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
