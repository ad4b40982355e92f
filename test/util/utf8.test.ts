import test from "ava";
import { decodeUtf8, encodeUtf8, utf8Length } from "../../modules/util/utf8.js";
import { randomInt, seededRandom } from "../helpers/seeded-random.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
const bytes = (hexText: string) => Uint8Array.from(Buffer.from(hexText.replace(/ /g, ""), "hex"));

// The reference: WHATWG UTF-8 as Node implements it. ignoreBOM keeps a
// leading EF BB BF as U+FEFF, as decodeUtf8 does (it decodes, it does not sniff).
const referenceDecoder = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });
const referenceEncoder = new TextEncoder();

/** Well-formed text: string ⇄ bytes, both ways. */
const wellFormed: { label: string; text: string; hex: string }[] = [
  { label: "empty", text: "", hex: "" },
  { label: "ASCII, NUL and DEL included", text: "a\u0000Z\u007f~", hex: "61 00 5a 7f 7e" },
  // U+0080 is the first 2-byte code point: 110_00010 10_000000.
  { label: "2-byte, lowest", text: "\u0080", hex: "c2 80" },
  // é U+00E9 = 000 1110 1001 → C3 A9.
  { label: "2-byte é", text: "é", hex: "c3 a9" },
  // U+07FF is the last 2-byte code point.
  { label: "2-byte, highest", text: "\u07ff", hex: "df bf" },
  // U+0800 is the first 3-byte code point: 1110_0000 10_100000 10_000000.
  { label: "3-byte, lowest", text: "\u0800", hex: "e0 a0 80" },
  // € U+20AC → E2 82 AC.
  { label: "3-byte €", text: "€", hex: "e2 82 ac" },
  // U+D7FF and U+E000 are the code points either side of the surrogates.
  { label: "3-byte, below surrogates", text: "\ud7ff", hex: "ed 9f bf" },
  { label: "3-byte, above surrogates", text: "\ue000", hex: "ee 80 80" },
  // U+FEFF (BOM) is an ordinary character here, not stripped.
  { label: "BOM kept", text: "\ufeffA", hex: "ef bb bf 41" },
  // U+FFFF is the last 3-byte code point (a noncharacter, still well-formed).
  { label: "3-byte, highest", text: "\uffff", hex: "ef bf bf" },
  // U+10000 is the first 4-byte code point: F0 90 80 80.
  { label: "4-byte, lowest", text: "\u{10000}", hex: "f0 90 80 80" },
  // 😀 U+1F600 (surrogate pair D83D DE00 in the string) → F0 9F 98 80.
  { label: "4-byte emoji", text: "😀", hex: "f0 9f 98 80" },
  // U+10FFFF, the last code point: F4 8F BF BF.
  { label: "4-byte, highest", text: "\u{10ffff}", hex: "f4 8f bf bf" },
  { label: "mixed", text: "T=21.5°C ✓😀", hex: "54 3d 32 31 2e 35 c2 b0 43 20 e2 9c 93 f0 9f 98 80" },
];

for (const { label, text, hex: expected } of wellFormed) {
  test(`encodeUtf8: ${label}`, (t) => {
    t.is(hex(encodeUtf8(text)), expected.replace(/ /g, ""));
    t.is(hex(encodeUtf8(text)), hex(referenceEncoder.encode(text)));
  });
  test(`decodeUtf8: ${label}`, (t) => {
    t.is(decodeUtf8(bytes(expected)), text);
  });
}

/** Lone surrogates cannot be encoded: each becomes U+FFFD (EF BF BD), as TextEncoder does. */
const loneSurrogates: { label: string; text: string; hex: string }[] = [
  { label: "lone high surrogate", text: "a\ud83db", hex: "61 ef bf bd 62" },
  { label: "lone low surrogate", text: "\ude00", hex: "ef bf bd" },
  // Low before high is not a pair: two replacements.
  { label: "reversed pair", text: "\ude00\ud83d", hex: "ef bf bd ef bf bd" },
  { label: "high surrogate at the end", text: "x\ud800", hex: "78 ef bf bd" },
];

for (const { label, text, hex: expected } of loneSurrogates) {
  test(`encodeUtf8: ${label} becomes U+FFFD`, (t) => {
    t.is(hex(encodeUtf8(text)), expected.replace(/ /g, ""));
    t.is(hex(encodeUtf8(text)), hex(referenceEncoder.encode(text)));
  });
}

/**
 * Malformed input: one U+FFFD per maximal subpart (the longest prefix of a
 * well-formed sequence, or a single byte), the rest decoded as usual.
 */
const malformed: { label: string; hex: string; text: string }[] = [
  // A continuation byte with no lead.
  { label: "stray continuation", hex: "80", text: "\ufffd" },
  { label: "stray continuations between ASCII", hex: "61 80 bf 62", text: "a\ufffd\ufffdb" },
  // C0 and C1 can only start overlong 2-byte forms: invalid leads, each byte on its own.
  { label: "overlong 2-byte '/' (C0 AF)", hex: "c0 af", text: "\ufffd\ufffd" },
  { label: "overlong 2-byte NUL (C0 80)", hex: "c0 80", text: "\ufffd\ufffd" },
  { label: "C1 lead", hex: "c1 bf", text: "\ufffd\ufffd" },
  // E0 needs A0..BF next: E0 80 starts an overlong, so E0 alone is the subpart.
  { label: "overlong 3-byte '/' (E0 80 AF)", hex: "e0 80 af", text: "\ufffd\ufffd\ufffd" },
  // F0 needs 90..BF next.
  { label: "overlong 4-byte (F0 80 80 AF)", hex: "f0 80 80 af", text: "\ufffd\ufffd\ufffd\ufffd" },
  // ED needs 80..9F next: ED A0 80 would be U+D800, a surrogate.
  { label: "encoded surrogate U+D800 (ED A0 80)", hex: "ed a0 80", text: "\ufffd\ufffd\ufffd" },
  { label: "encoded surrogate pair (ED A0 BD ED B8 80)", hex: "ed a0 bd ed b8 80", text: "\ufffd".repeat(6) },
  // F4 needs 80..8F next: F4 90 80 80 would be U+110000.
  { label: "> U+10FFFF (F4 90 80 80)", hex: "f4 90 80 80", text: "\ufffd\ufffd\ufffd\ufffd" },
  // F5..F7 would start code points above U+10FFFF; F8..FF never appear in UTF-8.
  { label: "F5 lead", hex: "f5 80 80 80", text: "\ufffd\ufffd\ufffd\ufffd" },
  { label: "F8..FF leads", hex: "f8 fc fe ff", text: "\ufffd\ufffd\ufffd\ufffd" },
  // Truncated: a valid prefix cut short is a single U+FFFD, the next byte is kept.
  { label: "truncated 2-byte at the end", hex: "61 c3", text: "a\ufffd" },
  { label: "truncated 3-byte at the end", hex: "e2 82", text: "\ufffd" },
  { label: "truncated 3-byte before ASCII", hex: "e2 82 41", text: "\ufffdA" },
  { label: "truncated 4-byte before a valid char", hex: "f0 9f 98 c3 a9", text: "\ufffdé" },
  { label: "lead followed by a lead", hex: "c3 c3 a9", text: "\ufffdé" },
  { label: "truncated 4-byte, lone lead", hex: "f0", text: "\ufffd" },
  // A real U+FFFD in the input is just a character.
  { label: "U+FFFD itself", hex: "ef bf bd", text: "\ufffd" },
];

for (const { label, hex: input, text } of malformed) {
  test(`decodeUtf8 malformed: ${label}`, (t) => {
    t.is(decodeUtf8(bytes(input)), text);
    t.is(decodeUtf8(bytes(input)), referenceDecoder.decode(bytes(input)));
  });
}

test("decodeUtf8 reads a subarray, not the whole buffer behind it", (t) => {
  const whole = bytes("ff 61 62 ff");
  t.is(decodeUtf8(whole.subarray(1, 3)), "ab");
});

/** Bytes that hit every branch: ASCII, continuations, every kind of lead, the range edges. */
const INTERESTING = [0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xee, 0xef, 0xf0, 0xf3, 0xf4, 0xf5, 0xff];

test("decodeUtf8 never throws and matches TextDecoder on 100k seeded random inputs", (t) => {
  const random = seededRandom(0x5eed_0001);
  let mismatches = 0;
  let first = "";
  for (let run = 0; run < 100_000; run++) {
    const input = new Uint8Array(randomInt(random, 13));
    for (let k = 0; k < input.length; k++) input[k] = random() < 0.7 ? INTERESTING[randomInt(random, INTERESTING.length)] : randomInt(random, 256);
    let actual: string;
    try {
      actual = decodeUtf8(input);
    } catch (error) {
      t.fail(`run ${run}: threw ${(error as Error).message} for ${hex(input)}`);
      return;
    }
    if (actual !== referenceDecoder.decode(input)) {
      if (mismatches++ === 0) first = `run ${run}: ${hex(input)} → ${JSON.stringify(actual)}, TextDecoder ${JSON.stringify(referenceDecoder.decode(input))}`;
    }
  }
  t.is(mismatches, 0, first);
});

test("encodeUtf8 and utf8Length match TextEncoder and decodeUtf8 inverts it on 100k seeded random strings", (t) => {
  const random = seededRandom(0x5eed_0002);
  const unit = () => {
    const pick = random();
    if (pick < 0.3) return randomInt(random, 0x80); // ASCII
    if (pick < 0.45) return 0x80 + randomInt(random, 0x780); // 2-byte
    if (pick < 0.6) return 0x800 + randomInt(random, 0xd000); // 3-byte below the surrogates
    if (pick < 0.75) return 0xd800 + randomInt(random, 0x800); // a surrogate: paired by chance or lone
    return 0xe000 + randomInt(random, 0x2000); // 3-byte above the surrogates
  };
  let mismatches = 0;
  let first = "";
  for (let run = 0; run < 100_000; run++) {
    const units: number[] = [];
    const length = randomInt(random, 9);
    for (let k = 0; k < length; k++) {
      if (random() < 0.15) {
        // A well-formed pair: a 4-byte character.
        const cp = 0x10000 + randomInt(random, 0x100000);
        units.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
      } else units.push(unit());
    }
    const text = String.fromCharCode(...units);
    const encoded = encodeUtf8(text);
    const expected = referenceEncoder.encode(text);
    // After encoding, lone surrogates are U+FFFD: what TextDecoder makes of TextEncoder's bytes.
    const back = decodeUtf8(encoded);
    if (hex(encoded) !== hex(expected) || back !== referenceDecoder.decode(expected) || utf8Length(text) !== expected.length) {
      if (mismatches++ === 0) first = `run ${run}: ${JSON.stringify(text)} → ${hex(encoded)}, TextEncoder ${hex(expected)}, decoded back ${JSON.stringify(back)}`;
    }
  }
  t.is(mismatches, 0, first);
});
