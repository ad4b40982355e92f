import test from "ava";
import { Decoder } from "cbor-x";
import { cborNumberSize, halfBits, nearestHalf, writeCborNumber } from "../../modules/telemetry/cbor-number.js";
import { seededRandom } from "../helpers/seeded-random.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
function encode(x: number): Uint8Array {
  const out = new Uint8Array(cborNumberSize(x));
  t_end(writeCborNumber(out, 0, x), out.length);
  return out;
}
function t_end(end: number, size: number): void {
  if (end !== size) throw new Error(`wrote ${end} bytes, sized ${size}`);
}

/** Value → shortest exact CBOR (RFC 8949 §3.3 floats, §3.1 integers). */
const TABLE: [number, string, string][] = [
  [0, "00", "integer 0, immediate"],
  [23, "17", "largest immediate"],
  [24, "1818", "one extra byte"],
  [-24, "37", "major 1, immediate 23"],
  [-25, "3818", "major 1, one extra byte"],
  [65535, "19ffff", "two extra bytes"],
  [65536, "1a00010000", "four extra bytes"],
  [2 ** 32 - 1, "1affffffff", "largest integer written as one"],
  [2 ** 32 + 1, "fb41f0000000100000", "beyond: a float64 (a decoder would give a 64-bit integer as a BigInt)"],
  [0.5, "f93800", "float16"],
  [-2.25, "f9c080", "negative float16"],
  [65504, "19ffe0", "an integer even where float16 could"],
  [65504.5, "fa477fe080", "beyond float16's precision: float32"],
  [5.960464477539063e-8, "f90001", "float16's smallest subnormal"],
  [6.103515625e-5, "f90400", "float16's smallest normal"],
  [0.1, "fb3fb999999999999a", "0.1 is no binary fraction: float64"],
  [Math.fround(0.1), "fa3dcccccd", "the float32 nearest 0.1: float32"],
  [-0, "f98000", "-0 keeps its sign: float16"],
  [Infinity, "f97c00", "infinity, float16"],
  [NaN, "f97e00", "NaN, float16"],
  [2 ** 60, "fa5d800000", "an integer beyond 2^53: float32 holds 2^60 exactly"],
];

for (const [value, bytes, label] of TABLE) {
  test(`writeCborNumber(${value}): ${label}`, (t) => {
    t.is(hex(encode(value)), bytes);
    const back = new Decoder().decode(encode(value)) as number;
    if (Number.isNaN(value)) t.true(Number.isNaN(back));
    else t.true(Object.is(back, value), `cbor-x reads back ${back}`);
  });
}

test("seeded: every double reads back exactly and no shorter form would", (t) => {
  const random = seededRandom(0xcb0e);
  const decoder = new Decoder();
  for (let i = 0; i < 20_000; i++) {
    const kind = i % 4;
    const x = kind === 0 ? (random() - 0.5) * 10 ** Math.floor(random() * 20 - 10)
      : kind === 1 ? Math.fround((random() - 0.5) * 1e4)
      : kind === 2 ? Math.round((random() - 0.5) * 2 ** 16) / 2 ** Math.floor(random() * 12)
      : Math.round((random() - 0.5) * 2 ** (1 + Math.floor(random() * 52)));
    const bytes = encode(x);
    t.true(Object.is(decoder.decode(bytes), x) || (x === 0 && decoder.decode(bytes) === 0), `${x}`);
    if (bytes.length === 9 && !Number.isInteger(x)) t.not(Math.fround(x), x, `${x}: float32 would do`);
    if (bytes.length === 5 && !Number.isInteger(x)) t.is(halfBits(x), -1, `${x}: float16 would do`);
  }
});

test("nearestHalf: the nearest float16, undefined beyond its range", (t) => {
  t.is(nearestHalf(1 / 3), 0.333251953125);
  t.is(nearestHalf(-1000.3), -1000.5);
  t.is(nearestHalf(65504), 65504);
  t.is(nearestHalf(65520), undefined);
  t.is(nearestHalf(1e-9), 0);
  t.is(nearestHalf(Infinity), undefined);
  for (const x of [0.1, 3.14159, 12345.678, 1e-6]) t.true(halfBits(nearestHalf(x)!) >= 0, `${x}: what it gives is a float16`);
});
