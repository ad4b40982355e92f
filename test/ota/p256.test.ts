import test from "ava";
import { createHash } from "node:crypto";
import { hexToBytes } from "../../modules/ota/hex.js";
import { parseP256PublicKey, verifyP256 } from "../../modules/ota/p256.js";
import { signedImage, updateKey } from "../helpers/ota-image.js";

const hex = (text: string) => hexToBytes(text)!;
const N = hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");

test("20 node:crypto signatures verify; a flipped bit in digest, r, s or the key does not", (t) => {
  for (let i = 0; i < 20; i++) {
    const key = updateKey();
    const { image, sig } = signedImage(key.privateKey, "1.2.3", 40 + i, i + 1);
    const digest = new Uint8Array(createHash("sha256").update(image).digest());
    const pub = hex(key.publicHex);
    const signature = hex(sig);
    t.true(verifyP256(pub, digest, signature), `run ${i}`);
    const badDigest = digest.slice(); badDigest[i % 32] ^= 1;
    t.false(verifyP256(pub, badDigest, signature));
    const badR = signature.slice(); badR[i % 32] ^= 0x80;
    t.false(verifyP256(pub, digest, badR));
    const badS = signature.slice(); badS[32 + (i % 32)] ^= 0x01;
    t.false(verifyP256(pub, digest, badS));
    t.false(verifyP256(hex(updateKey().publicHex), digest, signature), "another key");
  }
});

test("malformed inputs are false, never a throw", (t) => {
  const key = updateKey();
  const { image, sig } = signedImage(key.privateKey, "1.0.0", 10);
  const digest = new Uint8Array(createHash("sha256").update(image).digest());
  const pub = hex(key.publicHex);
  const signature = hex(sig);
  t.false(verifyP256(pub.subarray(1), digest, signature), "64-byte key");
  const compressed = pub.slice(); compressed[0] = 2;
  t.false(verifyP256(compressed, digest, signature), "not 0x04");
  const offCurve = pub.slice(); offCurve[64] ^= 1;
  t.is(parseP256PublicKey(offCurve), undefined, "off the curve");
  t.false(verifyP256(offCurve, digest, signature));
  t.false(verifyP256(pub, digest.subarray(1), signature), "31-byte digest");
  t.false(verifyP256(pub, digest, signature.subarray(1)), "63-byte signature");
  const zeroR = signature.slice(); zeroR.fill(0, 0, 32);
  t.false(verifyP256(pub, digest, zeroR), "r = 0");
  const bigS = signature.slice(); bigS.set(N, 32);
  t.false(verifyP256(pub, digest, bigS), "s = n");
});
