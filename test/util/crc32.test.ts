import test from "ava";
import { crc32 } from "../../modules/util/crc32.js";
import { encodeUtf8 } from "../../modules/util/utf8.js";

test("the CRC-32 check value: crc32('123456789') is 0xCBF43926 (zlib, IEEE 802.3)", (t) => {
  t.is(crc32(encodeUtf8("123456789")), 0xcbf43926);
  t.is(crc32(new Uint8Array(0)), 0);
});

test("a range covers only bytes[start, end)", (t) => {
  const bytes = encodeUtf8("xx123456789yy");
  t.is(crc32(bytes, 2, 11), 0xcbf43926);
});

test("continuing from an earlier result equals one pass over the whole", (t) => {
  const whole = encodeUtf8("the quick brown fox");
  for (let cut = 0; cut <= whole.length; cut++) {
    const head = whole.subarray(0, cut);
    const tail = whole.subarray(cut);
    t.is(crc32(tail, 0, tail.length, crc32(head)), crc32(whole), `cut at ${cut}`);
  }
});
