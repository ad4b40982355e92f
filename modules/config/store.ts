/**
 * Power-safe config persistence over the platform's key/value flash.
 *
 * Two slots, A and B. A save writes the whole record into the slot that does
 * NOT hold the current good record, then that slot becomes current: the good
 * record is never touched, so power loss at any instant leaves it readable.
 * A record is split into chunks (flash values are at most 4,000 bytes), keys
 * `cfg.a.0`..`cfg.a.7`. Every chunk carries the same header:
 *
 *   offset size
 *    0     2   magic "FC"
 *    2     1   record format (1)
 *    3     1   chunk index
 *    4     1   chunk count
 *    5     1   schema version of the payload
 *    6     4   generation (u32 big-endian, wraps; newer = serial-number arithmetic, RFC 1982)
 *   10     4   payload length in bytes
 *   14     4   CRC-32 of schema version, generation, length and the whole payload
 *   18     …   this chunk's part of the payload (UTF-8 JSON object of key → value)
 *
 * A chunk torn by power loss, a stale chunk left from an older record, or a
 * flipped bit makes the CRC (or the headers) disagree: the slot is ignored
 * and reported, and the other slot's record is used.
 */
import { STORAGE_VALUE_MAX, type Storage } from "../platform.js";
import { decodeUtf8, encodeUtf8 } from "../util/utf8.js";
import { crc32 } from "../util/crc32.js";
import { newer } from "../util/serial-number.js";
import { storageError } from "../errors.js";
import { migrate } from "./migrate.js";
import { SCHEMA_VERSION, type RawConfig, type Value } from "./schema.js";

const MAGIC0 = 0x46; // "F"
const MAGIC1 = 0x43; // "C"
const FORMAT = 1;
const HEADER = 18;
/** Most chunks per record: bounds the record at 8 × 3,982 bytes. */
export const MAX_CHUNKS = 8;
const CHUNK_DATA = STORAGE_VALUE_MAX - HEADER;
const SLOTS = ["a", "b"] as const;
type Slot = (typeof SLOTS)[number];

/** Storage key of chunk `index` of `slot`; `prefix` names the store (`cfg`: the config, `cfr`: the broker fallback). */
export function chunkKey(slot: Slot, index: number, prefix = "cfg"): string {
  return `${prefix}.${slot}.${index}`;
}

/** What `load` found. */
export interface LoadResult {
  /** The values of the newest good record (empty when there is none). */
  values: Record<string, unknown>;
  /** "record": a good record was read; "defaults": none was found. */
  source: "record" | "defaults";
  generation?: number;
  slot?: Slot;
  /** Problems found on the way (corrupt slot, migration): the node reports them. */
  notes: string[];
}

interface Decoded {
  slot: Slot;
  generation: number;
  schema: number;
  values: Record<string, unknown>;
}

/** True when generation `a` is newer than `b` (serial-number arithmetic on u32; util/serial-number.ts). */
export { newer };

/** The A/B record store. `load()` first, then `save()`; one instance per storage. */
export class ConfigStore {
  #storage: Storage;
  #prefix: string;
  #current: { slot: Slot; generation: number } | undefined;

  /** `prefix` (1-3 letters, default `cfg`) keeps a second record kind apart from the config's keys. */
  constructor(storage: Storage, prefix = "cfg") {
    this.#storage = storage;
    this.#prefix = prefix;
  }

  /** Generation of the current good record, if any. */
  get generation(): number | undefined {
    return this.#current?.generation;
  }

  /** Reads both slots and returns the newest good record, migrated to the current schema. Never throws for bad data. */
  load(): LoadResult {
    const notes: string[] = [];
    const good: Decoded[] = [];
    for (const slot of SLOTS) {
      const result = this.#readSlot(slot);
      if (result === undefined) continue;
      if (typeof result === "string") notes.push(`config slot ${slot.toUpperCase()} unreadable (${result})`);
      else good.push(result);
    }
    good.sort((x, y) => (newer(x.generation, y.generation) ? -1 : 1));
    for (const record of good) {
      try {
        const migrateNotes: string[] = [];
        const values = migrate(record.values, record.schema, migrateNotes);
        notes.push(...migrateNotes);
        this.#current = { slot: record.slot, generation: record.generation };
        if (notes.some((n) => n.startsWith("config slot"))) notes.push(`using generation ${record.generation} from slot ${record.slot.toUpperCase()}`);
        return { values, source: "record", generation: record.generation, slot: record.slot, notes };
      } catch (error) {
        notes.push(`config slot ${record.slot.toUpperCase()} generation ${record.generation}: ${(error as Error).message}`);
      }
    }
    this.#current = undefined;
    if (notes.length > 0) notes.push("no good config record: using defaults");
    return { values: {}, source: "defaults", notes };
  }

  /**
   * Writes `values` as the next generation into the other slot. Throws
   * RangeError when the record is too big, and a `storage` CodedError
   * (modules/errors.ts) when the flash refuses the write (the previous
   * record stays current and readable in either case).
   */
  save(values: RawConfig): number {
    const object: Record<string, Value> = {};
    for (const [key, value] of [...values.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) object[key] = value;
    const payload = encodeUtf8(JSON.stringify(object));
    const count = Math.max(1, Math.ceil(payload.length / CHUNK_DATA));
    if (count > MAX_CHUNKS) throw new RangeError(`config record of ${payload.length} bytes exceeds ${MAX_CHUNKS * CHUNK_DATA}`);
    const generation = this.#current ? (this.#current.generation + 1) >>> 0 : 1;
    const slot: Slot = this.#current?.slot === "a" ? "b" : "a";
    const crc = recordCrc(SCHEMA_VERSION, generation, payload);
    for (let index = 0; index < count; index++) {
      const part = payload.subarray(index * CHUNK_DATA, (index + 1) * CHUNK_DATA);
      const chunk = new Uint8Array(HEADER + part.length);
      chunk.set([MAGIC0, MAGIC1, FORMAT, index, count, SCHEMA_VERSION]);
      const view = new DataView(chunk.buffer);
      view.setUint32(6, generation);
      view.setUint32(10, payload.length);
      view.setUint32(14, crc);
      chunk.set(part, HEADER);
      try {
        this.#storage.write(chunkKey(slot, index, this.#prefix), chunk);
      } catch (error) {
        throw storageError("writing the config to flash", error);
      }
    }
    this.#current = { slot, generation };
    // Stale chunks of a longer older record in this slot: harmless (the header count rules), but free the flash.
    try {
      for (let index = count; index < MAX_CHUNKS; index++) if (this.#storage.read(chunkKey(slot, index, this.#prefix)) !== undefined) this.#storage.delete(chunkKey(slot, index, this.#prefix));
    } catch {
      // Only spare flash is lost; the new record is written and current.
    }
    return generation;
  }

  /** Writes a record of an older schema version as-is (tests and tools that produce legacy records). */
  static writeRaw(storage: Storage, slot: Slot, schema: number, generation: number, payload: Uint8Array): void {
    const crc = recordCrc(schema, generation, payload);
    const chunk = new Uint8Array(HEADER + payload.length);
    chunk.set([MAGIC0, MAGIC1, FORMAT, 0, 1, schema]);
    const view = new DataView(chunk.buffer);
    view.setUint32(6, generation);
    view.setUint32(10, payload.length);
    view.setUint32(14, crc);
    chunk.set(payload, HEADER);
    storage.write(chunkKey(slot, 0), chunk);
  }

  /** Erases every config record (factory reset). */
  erase(): void {
    for (const slot of SLOTS) for (let index = 0; index < MAX_CHUNKS; index++) this.#storage.delete(chunkKey(slot, index, this.#prefix));
    this.#current = undefined;
  }

  /** A decoded slot, `undefined` for an empty one, or why it is unreadable. */
  #readSlot(slot: Slot): Decoded | string | undefined {
    let first: Uint8Array | undefined;
    try {
      first = this.#storage.read(chunkKey(slot, 0, this.#prefix));
    } catch (error) {
      return `read failed: ${(error as Error).message}`;
    }
    if (first === undefined) return undefined;
    const head = parseHeader(first);
    if (typeof head === "string") return head;
    if (head.index !== 0) return "chunk 0 has a wrong index";
    const payload = new Uint8Array(head.length);
    let offset = 0;
    for (let index = 0; index < head.count; index++) {
      let chunk: Uint8Array | undefined;
      try {
        chunk = index === 0 ? first : this.#storage.read(chunkKey(slot, index, this.#prefix));
      } catch (error) {
        return `read failed: ${(error as Error).message}`;
      }
      if (chunk === undefined) return `chunk ${index} of ${head.count} missing`;
      const h = parseHeader(chunk);
      if (typeof h === "string") return `chunk ${index}: ${h}`;
      if (h.index !== index || h.count !== head.count || h.generation !== head.generation || h.length !== head.length || h.crc !== head.crc || h.schema !== head.schema)
        return `chunk ${index} belongs to another record`;
      const part = chunk.subarray(HEADER);
      if (offset + part.length > head.length) return `chunk ${index} is too long`;
      payload.set(part, offset);
      offset += part.length;
    }
    if (offset !== head.length) return `payload is ${offset} bytes, header says ${head.length}`;
    if (recordCrc(head.schema, head.generation, payload) !== head.crc) return "CRC mismatch";
    try {
      const values = JSON.parse(decodeUtf8(payload)) as unknown;
      if (typeof values !== "object" || values === null || Array.isArray(values)) return "payload is not a key/value object";
      return { slot, generation: head.generation, schema: head.schema, values: values as Record<string, unknown> };
    } catch {
      return "payload is not JSON";
    }
  }
}

function parseHeader(chunk: Uint8Array): { index: number; count: number; schema: number; generation: number; length: number; crc: number } | string {
  if (chunk.length < HEADER) return `chunk of ${chunk.length} bytes is shorter than its header`;
  if (chunk[0] !== MAGIC0 || chunk[1] !== MAGIC1) return "bad magic";
  if (chunk[2] !== FORMAT) return `unknown record format ${chunk[2]}`;
  const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const count = chunk[4];
  const length = view.getUint32(10);
  if (count < 1 || count > MAX_CHUNKS) return `bad chunk count ${count}`;
  if (length > MAX_CHUNKS * CHUNK_DATA) return `bad payload length ${length}`;
  return { index: chunk[3], count, schema: chunk[5], generation: view.getUint32(6), length, crc: view.getUint32(14) };
}

function recordCrc(schema: number, generation: number, payload: Uint8Array): number {
  const head = new Uint8Array(9);
  const view = new DataView(head.buffer);
  head[0] = schema;
  view.setUint32(1, generation);
  view.setUint32(5, payload.length);
  return crc32(payload, 0, payload.length, crc32(head));
}
