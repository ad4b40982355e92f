import type { Counters } from "../counters.js";
import type { Logger } from "../log.js";
import { STORAGE_VALUE_MAX, type Storage } from "../platform.js";
import {
  decodeIndex, decodeSegment, encodeIndex, encodeSegment, ENTRY_MAX, ENTRY_OVERHEAD, INDEX_KEYS, LEVEL_MAX,
  SEGMENT_OVERHEAD, segmentKey, segmentNumber, segmentSize, type DecodedSegment, type OutboxIndex, type SegmentHeader,
} from "./outbox-format.js";
import { planRoom, thinMessages } from "./outbox-thinning.js";

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
 * What RAM keeps of a segment on flash (few fields: there can be 256). Its
 * range (`lo`, `hi`) is read from flash when a rewrite needs it.
 */
interface Segment {
  n: number;
  /** 1 message in 2^level of the original stream is kept. */
  level: number;
  count: number;
  /** Acknowledged prefix (acks arrive in publish order, MQTT 3.1.1 section 4.6); absent: 0 (a property less on each of up to 256). */
  skip?: number;
  /** Framed bytes of its unacknowledged messages when written or loaded; absent: more than FULL_BYTES (taken as 4,000). */
  bytes?: number;
  /** Loaded messages (the head, or in flight), or undefined while they wait on flash only. */
  entries?: OutboxEntry[];
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
  /** Segments in time order (by `lo`); the last `#journal` are journal records. */
  #segments: Segment[] = [];
  #journal = 0;
  /** The head's `lo`, read from flash once per head (for the index). */
  #headLo: { n: number; lo: number } | undefined;
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
    this.#load();
  }

  /** Messages not yet acknowledged (flash and RAM). */
  get depth(): number {
    let depth = 0;
    for (const s of this.#segments) depth += s.entries ? unacked(s.entries).length : s.count - (s.skip ?? 0);
    return depth + unacked(this.#tail).length;
  }

  /** Flash in use and the bound, in segments (the journal counts as one). */
  get segments(): { used: number; max: number } {
    return { used: this.#segments.length - this.#journal + (this.#journal > 0 ? 1 : 0), max: this.#options.maxSegments };
  }

  /** Messages waiting in RAM only (lost on power failure). */
  get unpersisted(): number {
    return unacked(this.#tail).length;
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
    for (let i = 0; i < this.#segments.length; i++) {
      const entries = this.#loaded(this.#segments[i]);
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

  /** Marks every queued message historical (the link went down); with `offlineFlushMs` 0 they go to the journal now. */
  markHistorical(): void {
    for (const e of this.#tail) e.historical = true;
    if (this.#options.offlineFlushMs === 0 && this.#tail.length > 0) this.persist();
  }

  /** Periodic housekeeping: journal the RAM messages that waited long enough (see the options), write a stale index. */
  tick(): void {
    const now = this.#now();
    const { flushMs, offlineFlushMs } = this.#options;
    if (this.#tail.some((e) => !e.acked && now - e.at >= (e.historical ? offlineFlushMs : flushMs))) this.persist();
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
    this.#tailBytes = this.#tail.reduce((sum, e) => sum + ENTRY_OVERHEAD + e.bytes.byteLength, 0);
  }

  /** The journal records (the trailing segments), oldest first. */
  #records(): Segment[] {
    return this.#segments.slice(this.#segments.length - this.#journal);
  }

  /** Replaces `remove` segments at `at` by `insert` (closed ones), keeping the journal count right. */
  #splice(at: number, remove: number, ...insert: Segment[]): void {
    const journalStart = this.#segments.length - this.#journal;
    this.#journal -= Math.max(0, at + remove - Math.max(at, journalStart));
    this.#segments.splice(at, remove, ...insert);
  }

  /**
   * Writes `entries` (framed size `size`) as one journal record, first
   * consolidating the journal when the record would not fit beside it or
   * the level changed. False (counted, logged) when the flash refuses the record.
   */
  #appendRecord(entries: OutboxEntry[], size: number): boolean {
    const journal = this.#records();
    const bytes = journal.reduce((sum, s) => sum + (s.bytes ?? STORAGE_VALUE_MAX) - SEGMENT_OVERHEAD, SEGMENT_OVERHEAD);
    const other = journal.length > 0 && journal[0].level !== this.#level;
    if (journal.length > 0 && (other || bytes + size - SEGMENT_OVERHEAD > STORAGE_VALUE_MAX)) this.#consolidate(journal);
    const n = this.#next;
    if (!this.#write({ n, lo: n, hi: n, level: this.#level, record: true }, entries)) return false;
    const inFlight = entries.some((e) => e.packetId !== undefined);
    this.#segments.push(segmentOf(n, this.#level, entries.length, size, 0, inFlight ? entries : undefined));
    this.#journal++;
    this.#makeRoom();
    return true;
  }

  /**
   * Rewrites the journal records as one closed segment; a single record,
   * or records the flash refuses to rewrite, just close as they are.
   * Records are written fresh (lo = hi = n), so the range is first n to last n.
   */
  #consolidate(journal: Segment[]): void {
    let done = false;
    if (journal.length > 1) {
      const loaded = journal.map((s) => this.#loaded(s));
      const kept = journal.filter((_, i) => loaded[i] !== undefined); // torn ones were skipped and counted
      const entries = loaded.flatMap((l) => (l ? unacked(l) : []));
      done = kept.length > 0 && this.#replace(kept, entries, kept[0].level, { lo: kept[0].n, hi: kept[kept.length - 1].n });
    }
    if (!done) {
      for (const s of this.#records()) if (s !== this.#segments[0] && !(s.entries ?? []).some((e) => e.packetId !== undefined)) delete s.entries;
      this.#journal = 0;
    }
    this.#makeRoom();
  }

  /**
   * Writes `entries` as one new closed segment that stands for `sources`
   * (adjacent, in time order, covering `range`), then deletes the sources
   * (write new, then switch). False (counted, logged) when the flash
   * refuses the write.
   */
  #replace(sources: Segment[], entries: OutboxEntry[], level: number, range: { lo: number; hi: number }): boolean {
    const first = this.#segments.indexOf(sources[0]);
    const n = this.#next;
    if (entries.length > 0 && !this.#write({ n, ...range, level, record: false }, entries)) return false;
    const inFlight = entries.some((e) => e.packetId !== undefined);
    const replacement = entries.length > 0 ? [segmentOf(n, level, entries.length, framed(entries), 0, inFlight ? entries : undefined)] : [];
    this.#splice(first, sources.length, ...replacement);
    if (first === 0) this.#indexDirty = true;
    for (const s of sources) this.#delete(s.n);
    return true;
  }

  /** The unacknowledged entries of `segment` and its range, read from flash; undefined (skipped, counted) when unreadable. */
  #source(segment: Segment): { entries: OutboxEntry[]; lo: number; hi: number } | undefined {
    const decoded = this.#read(segment.n);
    if (typeof decoded !== "string") {
      const entries = this.#loaded(segment);
      return entries ? { entries: unacked(entries), lo: decoded.lo, hi: decoded.hi } : undefined;
    }
    this.#torn(segment, decoded);
    return undefined;
  }

  /** Keeps the closed segments within `maxSegments` − 1 (the journal takes the last): join, thin, or at worst drop the oldest. */
  #makeRoom(): void {
    const limit = Math.max(1, this.#options.maxSegments - 1);
    for (let guard = 0; guard < 4 * this.#options.maxSegments + 8; guard++) {
      const closed = this.#segments.slice(0, this.#segments.length - this.#journal);
      if (closed.length <= limit) return;
      const candidates = closed.map((s) => {
        const entries = s.entries ? unacked(s.entries) : undefined;
        return {
          level: s.level,
          count: entries ? entries.length : s.count - (s.skip ?? 0),
          bytes: entries ? framed(entries) : s.bytes ?? STORAGE_VALUE_MAX,
          busy: (s.entries ?? []).some((e) => e.packetId !== undefined),
        };
      });
      const step = planRoom(candidates);
      if (!step) return;
      if (step.kind === "drop") { this.#drop(closed[step.at]); continue; }
      const sources = step.kind === "thin-one" ? [closed[step.at]] : [closed[step.at], closed[step.at + 1]];
      const read = sources.map((s) => this.#source(s));
      if (read.some((r) => r === undefined)) continue; // torn: skipped and counted, which made room
      const entries = read.flatMap((r) => r!.entries);
      const range = { lo: read[0]!.lo, hi: Math.max(...read.map((r) => r!.hi)) };
      if (step.kind === "concat" && framed(entries) <= STORAGE_VALUE_MAX) {
        if (!this.#replace(sources, entries, sources[0].level, range)) this.#drop(sources[0]);
        continue;
      }
      const base = Math.min(...sources.map((x) => x.level));
      const { kept, level } = thinMessages(entries, base);
      this.#level = Math.max(this.#level, Math.min(LEVEL_MAX, base + 1));
      if (!this.#replace(sources, kept, level, range)) { this.#drop(sources[0]); continue; }
      const thinned = entries.length - kept.length;
      this.#counters.add("outbox_thinned", thinned);
      this.#log.warn("outbox", `full (${this.#options.maxSegments} segments): thinned the oldest data to 1 pack in ${2 ** level} (${thinned} dropped, ${kept.length} kept); new packs 1 in ${2 ** this.#level} while offline`);
    }
  }

  /**
   * Encodes and writes a segment under `header.n` (the next number); false
   * (counted, logged) when the flash refuses it.
   */
  #write(header: SegmentHeader, entries: readonly OutboxEntry[]): boolean {
    try {
      this.#storage.write(segmentKey(header.n), encodeSegment(header, entries.map((e) => e.bytes), entries.map((e) => e.ordinal)));
    } catch (error) {
      this.#counters.add("outbox_flash_errors");
      this.#log.error("outbox", `cannot write segment ${header.n}: ${(error as Error).message}; kept in RAM`);
      return false;
    }
    this.#next = header.n + 1;
    this.#counters.add("outbox_segments_written");
    return true;
  }

  #loaded(segment: Segment): OutboxEntry[] | undefined {
    if (segment.entries) return segment.entries;
    const decoded = this.#read(segment.n);
    if (typeof decoded === "string") {
      this.#torn(segment, decoded);
      return undefined;
    }
    const at = this.#now();
    segment.entries = decoded.messages.map((bytes, i) => ({ bytes, historical: true, acked: i < (segment.skip ?? 0), at, ordinal: decoded.ordinals[i] }));
    return segment.entries;
  }

  /** A segment that cannot be read any more: skipped, its messages counted as dropped. */
  #torn(segment: Segment, why: string): void {
    this.#counters.add("outbox_torn");
    this.#counters.add("outbox_dropped", segment.count - (segment.skip ?? 0));
    this.#log.error("outbox", `${why}; skipped`);
    this.#splice(this.#segments.indexOf(segment), 1);
    this.#delete(segment.n);
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
      if (skip !== (head.skip ?? 0)) { head.skip = skip; this.#indexDirty = true; }
      if (skip < head.entries.length) break;
      this.#splice(0, 1);
      this.#delete(head.n);
    }
    for (const s of this.#segments) {
      if (!s.entries) continue;
      let skip = 0;
      while (skip < s.entries.length && s.entries[skip].acked) skip++;
      if (skip > 0 || s.skip !== undefined) s.skip = skip;
      // Nothing in flight: the messages can wait on flash instead of in RAM.
      if (s !== this.#segments[0] && !s.entries.some((e) => e.packetId !== undefined)) delete s.entries;
    }
    if (this.#tail.some((e) => e.acked)) {
      this.#tail = unacked(this.#tail);
      this.#tailBytes = this.#tail.reduce((sum, e) => sum + ENTRY_OVERHEAD + e.bytes.byteLength, 0);
    }
  }

  #drop(segment: Segment): void {
    const lost = segment.entries ? unacked(segment.entries).length : segment.count - (segment.skip ?? 0);
    this.#splice(this.#segments.indexOf(segment), 1);
    this.#counters.add("outbox_dropped", lost);
    this.#log.warn("outbox", `full (${this.#options.maxSegments} segments): dropped segment ${segment.n} with ${lost} message(s)`);
    this.#delete(segment.n);
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
  #loOf(head: Segment): number {
    if (this.#headLo?.n !== head.n) {
      const decoded = this.#read(head.n);
      this.#headLo = { n: head.n, lo: typeof decoded === "string" ? 0 : decoded.lo };
    }
    return this.#headLo.lo;
  }

  #writeIndex(): void {
    const head = this.#segments[0];
    const index: OutboxIndex = {
      generation: this.#index.generation + 1,
      head: head ? head.n : this.#next,
      headLo: head ? this.#loOf(head) : this.#next,
      skip: head ? head.skip ?? 0 : 0,
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
   */
  #load(): void {
    let keys: string[] = [];
    try {
      keys = this.#storage.keys();
    } catch (error) {
      this.#counters.add("outbox_flash_errors");
      this.#log.error("outbox", `cannot list flash: ${(error as Error).message}; starting empty`);
    }
    const index = INDEX_KEYS.map((key) => {
      try { return decodeIndex(this.#storage.read(key)); } catch { return undefined; }
    }).filter((i): i is OutboxIndex => i !== undefined).sort((a, b) => b.generation - a.generation)[0];
    if (index) this.#index = index;
    const numbers = keys.map(segmentNumber).filter((n): n is number => n !== undefined).sort((a, b) => b - a);
    this.#next = Math.max(numbers.length > 0 ? numbers[0] + 1 : 0, index ? Math.max(index.next, index.head + 1) : 0);
    // Newest first: a segment overlapping the range of one written later was replaced by it.
    const found: (Segment & { lo: number; hi: number; record: boolean; version: number })[] = [];
    for (const n of numbers) {
      const decoded = this.#read(n);
      if (typeof decoded === "string") {
        this.#counters.add("outbox_torn");
        this.#log.error("outbox", `${decoded}; skipped`);
        this.#delete(n);
        continue;
      }
      const stale = index !== undefined && decoded.hi < index.headLo;
      if (stale || found.some((s) => decoded.lo <= s.hi && s.lo <= decoded.hi)) { this.#delete(n); continue; }
      const skip = index && n === index.head ? Math.min(index.skip, decoded.messages.length) : 0;
      const { messages, ordinals, version, lo, hi, level, record } = decoded;
      if (version > 1 && ordinals.length > 0) this.#ordinal = Math.max(this.#ordinal, (ordinals[ordinals.length - 1] + 1) % 2 ** 32);
      found.push({ n, lo, hi, level, record, count: messages.length, skip, bytes: segmentSize(messages.slice(skip)), version });
    }
    found.sort((a, b) => a.lo - b.lo);
    for (let i = 0; i < found.length; i++) {
      const [previous, segment] = [found[i - 1], found[i]];
      // A v1 top-up whose old copy was not deleted (power loss in between): keep only the new copy.
      if (previous && previous.version === 1 && segment.version === 1 && this.#repeats(segment, previous)) {
        this.#delete(previous.n);
        found.splice(i - 1, 1);
        i--;
      }
    }
    // Only the trailing records are the journal; one that a later segment follows was closed before the reboot.
    this.#journal = 0;
    while (this.#journal < found.length && found[found.length - 1 - this.#journal].record) this.#journal++;
    this.#segments = found.map(({ n, level, count, skip, bytes }) => segmentOf(n, level, count, bytes ?? STORAGE_VALUE_MAX, skip ?? 0));
    this.#level = this.#segments.length > 0 ? this.#segments[this.#segments.length - 1].level : 0;
    const restored = this.depth;
    this.#makeRoom();
    if (restored > 0) this.#log.info("outbox", `restored ${restored} message(s) in ${this.#segments.length} segment(s) from flash`);
  }

  /** True when segment `later` begins with every unacknowledged message of `earlier`, byte for byte (packs carry a unique boot id and seq, so only a copy matches). */
  #repeats(later: Segment, earlier: Segment): boolean {
    const [a, b] = [this.#read(later.n), this.#read(earlier.n)];
    if (typeof a === "string" || typeof b === "string") return false;
    const prefix = b.messages.slice(earlier.skip ?? 0);
    return prefix.length <= a.messages.length && prefix.every((m, i) => sameBytes(m, a.messages[i]));
  }
}

/** A segment this full keeps no `bytes` field: no other segment of useful size can join it. */
const FULL_BYTES = 3000;

/** A Segment with only the fields that differ from their defaults (RAM: there can be 256). */
function segmentOf(n: number, level: number, count: number, bytes: number, skip: number, entries?: OutboxEntry[]): Segment {
  const segment: Segment = { n, level, count };
  if (bytes <= FULL_BYTES) segment.bytes = bytes;
  if (skip > 0) segment.skip = skip;
  if (entries) segment.entries = entries;
  return segment;
}

/** Bytes `entries` take as one segment. */
function framed(entries: readonly OutboxEntry[]): number {
  return segmentSize(entries.map((e) => e.bytes));
}

function unacked(entries: readonly OutboxEntry[]): OutboxEntry[] {
  return entries.filter((e) => !e.acked);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
