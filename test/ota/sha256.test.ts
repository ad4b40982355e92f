import test from "ava";
import { createHash } from "node:crypto";
import { Sha256, sha256 } from "../../modules/ota/sha256.js";
import { bytesToHex } from "../../modules/ota/hex.js";
import { seededRandom } from "../helpers/seeded-random.js";

const text = (s: string) => new TextEncoder().encode(s);

// FIPS 180-4 examples (NIST CSRC "SHA256.pdf", "SHA2_Additional.pdf").
const NIST: [string, Uint8Array, string][] = [
  ["empty", new Uint8Array(0), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
  ["abc", text("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
  ["448 bits", text("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"],
  ["896 bits", text("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"), "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"],
  ["one byte 0xbd", new Uint8Array([0xbd]), "68325720aabd7c82f30f554b313d0570c95accbb7dc4b5aae11204c08ffe732b"],
  ["55 zero bytes", new Uint8Array(55), "02779466cdec163811d078815c633f21901413081449002f24aa3e80f0b88ef7"],
  ["56 zero bytes", new Uint8Array(56), "d4817aa5497628e7c77e6b606107042bbba3130888c5f47a375e6179be789fbb"],
  ["1000 x 0x41", new Uint8Array(1000).fill(0x41), "c2e686823489ced2017f6059b8b239318b6364f6dcd835d0a519105a1eadd6e4"],
];

for (const [name, message, expected] of NIST) {
  test(`NIST: ${name}`, (t) => {
    t.is(bytesToHex(sha256(message)), expected);
  });
}

test("NIST: one million 'a' fed in 1000-byte chunks", (t) => {
  const hash = new Sha256();
  const chunk = new Uint8Array(1000).fill(0x61);
  for (let i = 0; i < 1000; i++) hash.update(chunk);
  t.is(bytesToHex(hash.digest()), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
});

test("500 seeded random messages in random chunks agree with node:crypto", (t) => {
  const random = seededRandom(11);
  for (let run = 0; run < 500; run++) {
    const message = new Uint8Array(Math.floor(random() * 300));
    for (let i = 0; i < message.length; i++) message[i] = Math.floor(random() * 256);
    const hash = new Sha256();
    for (let at = 0; at < message.length;) {
      const take = Math.floor(random() * 80);
      hash.update(message.subarray(at, at + take));
      at += take;
    }
    t.is(bytesToHex(hash.digest()), createHash("sha256").update(message).digest("hex"), `run ${run}`);
  }
});

test("update or digest after digest throws TypeError", (t) => {
  const hash = new Sha256();
  hash.digest();
  t.throws(() => hash.update(new Uint8Array(1)), { instanceOf: TypeError });
  t.throws(() => hash.digest(), { instanceOf: TypeError });
});
