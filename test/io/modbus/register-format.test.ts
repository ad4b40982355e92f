import test from "ava";
import { decodeFormat, encodeFormat, formatRange, REGISTER_FORMATS } from "../../../modules/io/modbus/register-format.js";
import { seededRandom } from "../../helpers/seeded-random.js";

// [format, value, registers] (Modbus Application Protocol 4.2: big-endian words; sw: low word first)
const VECTORS: [string, number, number[]][] = [
  ["u16", 4500, [0x1194]],
  ["s16", -2, [0xfffe]],
  ["u32", 0x12345678, [0x1234, 0x5678]],
  ["u32sw", 0x12345678, [0x5678, 0x1234]],
  ["s32", -1, [0xffff, 0xffff]],
  ["f32", 230.5, [0x4366, 0x8000]],
  ["f32sw", 230.5, [0x8000, 0x4366]],
];

test("encodeFormat: datasheet-style vectors, and decodeFormat reads them back", (t) => {
  for (const [format, value, words] of VECTORS) {
    t.deepEqual(encodeFormat(format as never, value), words, format);
    t.is(decodeFormat(format as never, words), value, format);
  }
  t.deepEqual(encodeFormat("u16", 4499.6), [4500], "integer formats round");
});

test("encodeFormat refuses what a format cannot hold", (t) => {
  for (const [format, value] of [["u16", 65536], ["u16", -1], ["s16", 32768], ["u32", -1], ["s32", 2 ** 31], ["f32", Infinity], ["u16", Number.NaN]] as const)
    t.throws(() => encodeFormat(format, value), { instanceOf: RangeError }, `${format} ${value}`);
});

test("seeded: every integer in a format's range round-trips through its registers", (t) => {
  const random = seededRandom(42);
  for (const format of REGISTER_FORMATS) {
    if (format.startsWith("f32")) continue;
    const { min, max } = formatRange(format);
    for (let i = 0; i < 2000; i++) {
      const value = min + Math.floor(random() * (max - min + 1));
      const words = encodeFormat(format, value);
      t.true(words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffff));
      if (decodeFormat(format, words) !== value) t.fail(`${format} ${value}`);
    }
  }
  t.pass();
});
