import { Decoder } from "cbor-x/decode";
import { Encoder, FLOAT32_OPTIONS } from "cbor-x/encode";

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

// cbor-x's typings lack `useTag259ForMaps`, hence the widened options type.
const options: ConstructorParameters<typeof Encoder>[0] & { useTag259ForMaps: boolean } = {
  useRecords: false,
  // Integer-keyed maps, plain: no tag 259 that SenML receivers would not expect.
  useTag259ForMaps: false,
  variableMapSize: true,
  tagUint8Array: false,
  // A float32 on the wire when it keeps the value's decimal digits: half the bytes.
  useFloat32: FLOAT32_OPTIONS.DECIMAL_FIT,
};
const encoder = new Encoder(options);

const ORDER = ["bver", "bn", "bt", "bu", "bv", "bs", "n", "u", "v", "vs", "vb", "vd", "s", "t", "ut"] as const;

/**
 * Encodes records as a SenML pack in CBOR: an array of maps with integer
 * labels. Fields that are `undefined` are left out; record order is kept.
 */
export function encodeSenmlPack(records: readonly SenmlRecord[]): Uint8Array {
  const pack = records.map((record) => {
    const map = new Map<number, unknown>();
    for (const name of ORDER) {
      const value = record[name as keyof SenmlRecord];
      if (value !== undefined) map.set(SENML[name], value);
    }
    return map;
  });
  const bytes = encoder.encode(pack);
  // A copy: the encoder reuses its buffer, and no host buffer type may leak out.
  return new Uint8Array(bytes);
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
