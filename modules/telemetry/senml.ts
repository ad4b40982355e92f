import { Decoder } from "cbor-x/decode";
import { cborNumberSize, headSize, writeCborNumber, writeHead } from "./cbor-number.js";
import { encodeUtf8, utf8Length } from "../util/utf8.js";

/**
 * SenML labels in the CBOR representation (RFC 8428 section 6, table 4).
 * Frozen so a mistyped label is a type error, not a silent wrong key.
 */
export const SENML = {
  bver: -1,
  bn: -2,
  bt: -3,
  bu: -4,
  bv: -5,
  bs: -6,
  n: 0,
  u: 1,
  v: 2,
  vs: 3,
  vb: 4,
  s: 5,
  t: 6,
  ut: 7,
  vd: 8,
} as const;

/** One SenML record, named fields as in RFC 8428 section 4. */
export interface SenmlRecord {
  bn?: string;
  bt?: number;
  bu?: string;
  bv?: number;
  bs?: number;
  bver?: number;
  n?: string;
  u?: string;
  v?: number;
  vs?: string;
  vb?: boolean;
  vd?: Uint8Array;
  s?: number;
  t?: number;
  ut?: number;
}

/** Content format of what `encodeSenmlPack` returns (RFC 8428 section 12.3, CoAP id 112). */
export const SENML_CBOR_CONTENT_TYPE = "application/senml+cbor";

const ORDER = ["bver", "bn", "bt", "bu", "bv", "bs", "n", "u", "v", "vs", "vb", "vd", "s", "t", "ut"] as const;

type Field = string | number | boolean | Uint8Array;

/**
 * Encodes records as a SenML pack in CBOR (RFC 8428 section 6): an array of
 * maps with integer labels, plain (no tags), in label order bver, bn, bt,
 * bu, bv, bs, n, u, v, vs, vb, vd, s, t, ut. Fields that are `undefined` are
 * left out; record order is kept. Every number takes its shortest exact
 * form (cbor-number.ts: an integer, or float16/float32 only when they hold
 * the value exactly, else float64), so a decoder reads back exactly the
 * numbers given, and decoding then encoding again gives the same bytes.
 */
export function encodeSenmlPack(records: readonly SenmlRecord[]): Uint8Array {
  let size = headSize(records.length);
  for (const record of records) size += recordSize(record);
  const out = new Uint8Array(size);
  let at = writeHead(out, 0, 4, records.length);
  for (const record of records) at = writeRecord(out, at, record);
  return out;
}

/**
 * Writes a SenML pack record by record, as `encodeSenmlPack` does with the
 * same bytes, without holding the records: the pack's encoder streams one
 * record per reading (telemetry-pack.ts). `count` is the number of records
 * that will be added (the array header comes first); the buffer grows by
 * doubling from `capacity` bytes.
 */
export class SenmlWriter {
  #out: Uint8Array;
  #at: number;

  constructor(count: number, capacity = 256) {
    this.#out = new Uint8Array(Math.max(capacity, headSize(count)));
    this.#at = writeHead(this.#out, 0, 4, count);
  }

  /** Appends one record (its fields in label order, as `encodeSenmlPack`). */
  add(record: SenmlRecord): void {
    const end = this.#at + recordSize(record);
    if (end > this.#out.length) {
      const out = new Uint8Array(Math.max(end, 2 * this.#out.length));
      out.set(this.#out.subarray(0, this.#at));
      this.#out = out;
    }
    this.#at = writeRecord(this.#out, this.#at, record);
  }

  /** The pack: a copy of the bytes written, exactly sized. */
  bytes(): Uint8Array {
    return this.#out.slice(0, this.#at);
  }
}

/** CBOR bytes of one record: its map header, and each defined field's label and value. */
function recordSize(record: SenmlRecord): number {
  let size = 0;
  let fields = 0;
  for (const name of ORDER) {
    const value = record[name] as Field | undefined;
    if (value === undefined) continue;
    fields++;
    size += 1 + fieldSize(value);
  }
  return size + headSize(fields);
}

/** Writes one record at `at`; returns the offset after it. */
function writeRecord(out: Uint8Array, at: number, record: SenmlRecord): number {
  let fields = 0;
  for (const name of ORDER) if (record[name] !== undefined) fields++;
  at = writeHead(out, at, 5, fields);
  for (const name of ORDER) {
    const value = record[name] as Field | undefined;
    if (value === undefined) continue;
    const label = SENML[name];
    at = label < 0 ? writeHead(out, at, 1, -1 - label) : writeHead(out, at, 0, label);
    at = writeField(out, at, value);
  }
  return at;
}

function fieldSize(value: Field): number {
  if (typeof value === "number") return cborNumberSize(value);
  if (typeof value === "boolean") return 1;
  if (typeof value === "string") {
    const n = utf8Length(value);
    return headSize(n) + n;
  }
  return headSize(value.byteLength) + value.byteLength;
}

function writeField(out: Uint8Array, at: number, value: Field): number {
  if (typeof value === "number") return writeCborNumber(out, at, value);
  if (typeof value === "boolean") {
    out[at] = value ? 0xf5 : 0xf4;
    return at + 1;
  }
  const bytes = typeof value === "string" ? encodeUtf8(value) : value;
  at = writeHead(out, at, typeof value === "string" ? 3 : 2, bytes.byteLength);
  out.set(bytes, at);
  return at + bytes.byteLength;
}

const LABELS = new Map<number, string>(ORDER.map((name) => [SENML[name], name]));
const decoder = new Decoder({ mapsAsObjects: false, useRecords: false } as ConstructorParameters<typeof Decoder>[0]);

/**
 * Decodes a SenML-CBOR pack back into named records. Unknown labels are
 * ignored (RFC 8428 section 4.4 allows extensions); returns a string saying
 * what is wrong for bytes that are not a pack. Never throws.
 */
export function decodeSenmlPack(bytes: Uint8Array): SenmlRecord[] | string {
  let value: unknown;
  try {
    value = decoder.decode(bytes);
  } catch (error) {
    return `not CBOR: ${(error as Error).message}`;
  }
  if (!Array.isArray(value)) return "a SenML pack is a CBOR array";
  const records: SenmlRecord[] = [];
  for (const item of value) {
    if (!(item instanceof Map)) return "every SenML record is a CBOR map";
    const record: Record<string, unknown> = {};
    for (const [label, field] of item) {
      const name = typeof label === "number" ? LABELS.get(label) : undefined;
      if (name !== undefined) record[name] = field;
    }
    records.push(record as SenmlRecord);
  }
  return records;
}
