/**
 * CBOR inputs shared by the Node side and the XS side of the cbor-x proof,
 * with the encoder profiles to run them through and a JSON-safe description
 * of decoded values (Maps keep key order and key types, floats keep -0/NaN).
 */
import { FLOAT32_OPTIONS } from "cbor-x/encode";

/** One input value and what it exercises. */
export interface CborSample {
  label: string;
  value: unknown;
}

/**
 * Encoder options compared on both engines. `tagUint8Array` is pinned:
 * cbor-x's default tags byte strings (tag 64) only where a Node `Buffer`
 * exists, so left to its default it encodes differently on Node and XS.
 */
export const CBOR_PROFILES = [
  { label: "pinned", options: { useRecords: false, tagUint8Array: false } },
  {
    label: "senml",
    options: {
      useRecords: false,
      useTag259ForMaps: false,
      variableMapSize: true,
      tagUint8Array: false,
      useFloat32: FLOAT32_OPTIONS.DECIMAL_FIT,
    },
  },
] as const;

/** Decoder options: Maps stay Maps, so integer keys survive. */
export const CBOR_DECODER_OPTIONS = { mapsAsObjects: false, useRecords: false } as const;

/** Builds the inputs (fresh objects each call, so no engine sees another's). */
export function cborSamples(): CborSample[] {
  const bytes = new Uint8Array(256);
  for (let i = 0; i < bytes.length; i++) bytes[i] = i;
  return [
    {
      label: "integer-keyed map (a SenML record)",
      value: new Map<number, unknown>([
        [-2, "urn:dev:mac:0024befffe804ff1:"],
        [-3, 1_700_000_000.25],
        [0, "temperature"],
        [1, "Cel"],
        [2, 23.5],
        [6, -10],
      ]),
    },
    {
      label: "floats",
      value: [0, -0, 1.5, 0.1, -273.15, 23.45, 1e-7, 65504, 3.4028234663852886e38, 1e300, Number.NaN, -Infinity],
    },
    {
      label: "integers",
      value: [0, 23, 24, 255, 256, 65535, 65536, 2 ** 32, -1, -24, -25, -(2 ** 31), Number.MAX_SAFE_INTEGER],
    },
    { label: "strings", value: ["", "temp", "°C", "Δp Pa", "日本語", "𝄞 🚀", "x".repeat(300), "é".repeat(200)] },
    { label: "byte strings", value: [new Uint8Array(0), new Uint8Array([0xde, 0xad, 0xbe, 0xef]), bytes] },
    {
      label: "nested pack",
      value: [new Map<number, unknown>([[0, "a"], [4, true], [8, new Uint8Array([1, 2, 3])]]), new Map([[3, "on"]]), null],
    },
  ];
}

/** A JSON-safe, order- and type-preserving picture of a decoded value. */
export function describeCbor(value: unknown): unknown {
  if (typeof value === "number") return { num: Object.is(value, -0) ? "-0" : String(value) };
  if (value instanceof Uint8Array) return { bytes: Array.from(value) };
  if (value instanceof Map) return { map: Array.from(value, ([k, v]) => [describeCbor(k), describeCbor(v)]) };
  if (Array.isArray(value)) return value.map(describeCbor);
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  return { other: String(value) };
}
