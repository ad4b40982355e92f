import test from "ava";
import { Decoder } from "cbor-x";
import { encodeSenmlPack, SENML, SENML_CBOR_CONTENT_TYPE, type SenmlRecord } from "../../modules/telemetry/senml.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
const clean = (spaced: string) => spaced.replace(/\s+/g, "");

/**
 * Records → exact SenML-CBOR bytes. Labels are RFC 8428 section 6 integers
 * (bver -1 = 0x20, bn -2 = 0x21, bt -3 = 0x22, bu -4 = 0x23, bv -5 = 0x24,
 * n 0, u 1, v 2, vs 3, vb 4, s 5, t 6, ut 7, vd 8); within a record they come
 * in the encoder's fixed order (bver bn bt bu bv n u v vs vb vd s t ut).
 * Headers are minimal: array 0x80+n, map 0xa0+n, text 0x60+n (0x78 nn from
 * 24 bytes). A number is a CBOR integer when it is one, else a float16 (0xf9)
 * or float32 (0xfa) only when that holds it exactly, a float64 (0xfb)
 * otherwise: a decoder reads back the very number given. No tag 259.
 */
const fixtures: { label: string; records: SenmlRecord[]; hex: string }[] = [
  {
    label: "empty pack",
    records: [],
    hex: "80", // array(0)
  },
  {
    label: "one empty record",
    records: [{}],
    hex: "81 a0", // array(1), map(0)
  },
  {
    label: "name, unit, float16 value",
    records: [{ n: "temp", u: "Cel", v: 21.5 }],
    hex: `81 a3
          00 64 74656d70      # 0 n: text(4) "temp"
          01 63 43656c        # 1 u: text(3) "Cel"
          02 f9 4d60          # 2 v: float16 21.5 (exact in half precision)`,
  },
  {
    label: "base fields of the RFC 8428 section 5.1.2 example, float64 where nothing shorter is exact",
    records: [{ bn: "urn:dev:ow:10e2073a01080063:", bt: 1.276020076001e9, bu: "A", bver: 5, n: "voltage", u: "V", v: 120.1 }],
    hex: `81 a7
          20 05                                  # -1 bver: 5
          21 78 1c 75726e3a6465763a6f773a31306532 # -2 bn: text(28) "urn:dev:ow:10e2…
             3037336130313038303036333a          #    …073a01080063:"
          22 fb 41d303a15b001062                 # -3 bt: float64 1276020076.001 (no float32 keeps it)
          23 61 41                               # -4 bu: text(1) "A"
          00 67 766f6c74616765                   # 0 n: text(7) "voltage"
          01 61 56                               # 1 u: text(1) "V"
          02 fb 405e066666666666                 # 2 v: float64 120.1 (no float32 is exactly it)`,
  },
  {
    label: "integers stay integers, of minimal size",
    records: [{ n: "x", v: 1 }, { v: -1 }, { v: 24 }, { v: 65536 }, { t: 1.5e9 }],
    hex: `85
          a2 00 61 78 02 01       # n "x", v: 1 (immediate)
          a1 02 20                # v: -1 (major type 1, immediate 0)
          a1 02 18 18             # v: 24 (one extra byte)
          a1 02 1a 00010000       # v: 65536 (four extra bytes)
          a1 06 1a 59682f00       # t: 1500000000 (uint32)`,
  },
  {
    label: "float16 and float32 only when exact",
    records: [{ v: 0.25 }, { v: -65504 - 0.5 }, { v: Math.fround(0.1) }, { v: 0.1 }, { v: Math.PI }, { v: 1e40 }, { v: 2 ** -24 }, { v: 1.5 * 2 ** -24 }],
    hex: `88
          a1 02 f9 3400               # v: 0.25, float16
          a1 02 fa c77fe080           # v: -65504.5: float16's range ends at 65504, float32
          a1 02 fa 3dcccccd           # v: the float32 nearest 0.1 is a float32
          a1 02 fb 3fb999999999999a   # v: 0.1 itself needs float64
          a1 02 fb 400921fb54442d18   # v: pi needs float64
          a1 02 fb 483d6329f1c35ca5   # v: 1e40 overflows float32
          a1 02 f9 0001               # v: 2^-24, float16's smallest subnormal
          a1 02 fa 33c00000           # v: 1.5 × 2^-24 is below it, float32`,
  },
  {
    label: "string, boolean and data values",
    records: [{ n: "fw", vs: "hi" }, { n: "door", vb: true }, { n: "open", vb: false }, { n: "raw", vd: new Uint8Array([1, 2, 3]) }],
    hex: `84
          a2 00 62 6677    03 62 6869   # n "fw", 3 vs: text(2) "hi"
          a2 00 64 646f6f72 04 f5       # n "door", 4 vb: true
          a2 00 64 6f70656e 04 f4       # n "open", 4 vb: false
          a2 00 63 726177  08 43 010203 # n "raw", 8 vd: bytes(3), a plain byte string (no tag)`,
  },
  {
    label: "sum, time, update time, base value",
    records: [{ bv: 10, n: "x", s: 100, t: -5, ut: 60 }],
    hex: `81 a5
          24 0a       # -5 bv: 10
          00 61 78    # 0 n: "x"
          05 18 64    # 5 s: 100
          06 24       # 6 t: -5
          07 18 3c    # 7 ut: 60`,
  },
  {
    label: "undefined fields are left out",
    records: [{ bn: undefined, n: "x", u: undefined, v: 0.5, vs: undefined }],
    hex: "81 a2 00 61 78 02 f9 3800", // map(2): n "x", v float16 0.5
  },
  {
    label: "record order is kept",
    records: [{ n: "b" }, { n: "a" }],
    hex: "82 a1 00 61 62 a1 00 61 61", // "b" then "a"
  },
  {
    label: "text of 24 bytes takes a one-byte length",
    records: [{ n: "a".repeat(24) }],
    hex: `81 a1 00 78 18 ${"61".repeat(24)}`, // text(24): 0x78 0x18
  },
  {
    label: "multi-byte text: the length counts bytes",
    records: [{ n: "€".repeat(20) }],
    hex: `81 a1 00 78 3c ${"e282ac".repeat(20)}`, // 20 × 3 bytes = text(60)
  },
  {
    label: "text of 300 bytes takes a two-byte length",
    records: [{ n: "€".repeat(100) }],
    hex: `81 a1 00 79 012c ${"e282ac".repeat(100)}`, // text(300): 0x79 0x012c
  },
  {
    label: "24 records take a one-byte array length",
    records: Array.from({ length: 24 }, () => ({})),
    hex: `98 18 ${"a0".repeat(24)}`, // array(24): 0x98 0x18
  },
];

for (const fixture of fixtures) {
  test(`encodeSenmlPack: ${fixture.label}`, (t) => {
    const expected = clean(fixture.hex.replace(/#[^\n]*/g, ""));
    t.is(hex(encodeSenmlPack(fixture.records)), expected);
  });
}

test("SENML labels are those of RFC 8428 table 4", (t) => {
  t.deepEqual(
    { ...SENML },
    { bver: -1, bn: -2, bt: -3, bu: -4, bv: -5, bs: -6, n: 0, u: 1, v: 2, vs: 3, vb: 4, s: 5, t: 6, ut: 7, vd: 8 },
  );
  t.is(SENML_CBOR_CONTENT_TYPE, "application/senml+cbor");
});

test("no map is ever tagged 259", (t) => {
  const bytes = encodeSenmlPack([{ n: "x", v: 1 }, { n: "y", vb: true }]);
  // Tag 259 is d9 0103; the only d9 byte possible here would start it.
  t.false(hex(bytes).includes("d90103"));
  t.is(bytes[1], 0xa2);
});

test("decodes back with cbor-x to integer-keyed maps holding the same values", (t) => {
  const records: SenmlRecord[] = [
    { bn: "node:", bt: 1.276020076001e9, bu: "Cel", bver: 10, bv: 2, n: "temp", u: "Cel", v: 21.5, s: 7, t: -1.5, ut: 30 },
    { n: "fw", vs: "1.2.3" },
    { n: "door", vb: false },
    { n: "raw", vd: new Uint8Array([0, 255, 16]) },
    { n: "rh", v: 45.3 },
  ];
  const decoded = new Decoder({ mapsAsObjects: false }).decode(encodeSenmlPack(records)) as Map<number, unknown>[];
  t.is(decoded.length, records.length);
  decoded.forEach((map, i) => {
    t.true(map instanceof Map, `record ${i} is a Map`);
    const fields = Object.entries(records[i]);
    const labels = fields.map(([name]) => SENML[name as keyof typeof SENML]);
    t.deepEqual([...map.keys()].sort((a, b) => a - b), labels.sort((a, b) => a - b), `record ${i} labels`);
    for (const [name, value] of fields) {
      const got = map.get(SENML[name as keyof typeof SENML]);
      if (value instanceof Uint8Array) t.deepEqual(new Uint8Array(got as Uint8Array), value, `record ${i} ${name}`);
      else t.is(got, value, `record ${i} ${name}`);
    }
  });
  // Every number survives exactly, whatever size it took on the wire.
  t.is(decoded[0].get(-3), 1.276020076001e9);
  t.is(decoded[4].get(2), 45.3);
});

test("the result is a copy: a later encoding does not change it", (t) => {
  const first = encodeSenmlPack([{ n: "temp", u: "Cel", v: 21.5 }]);
  const before = hex(first);
  const second = encodeSenmlPack([{ n: "rh", u: "%RH", v: 45 }, { n: "x", vs: "y".repeat(100) }]);
  t.is(hex(first), before);
  t.not(first.buffer, second.buffer);
  t.is(first.constructor, Uint8Array, "a plain Uint8Array, not a host Buffer");
  t.is(first.byteOffset, 0);
  t.is(first.buffer.byteLength, first.byteLength, "it owns its buffer, no slack of the encoder's");
});

test("encoding does not change the records", (t) => {
  const records: SenmlRecord[] = [{ n: "temp", v: 21.5 }];
  encodeSenmlPack(records);
  t.deepEqual(records, [{ n: "temp", v: 21.5 }]);
});
