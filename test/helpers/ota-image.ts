/** Signed OTA images for tests: header + payload, its SHA-256 and an ECDSA P-256 signature (node:crypto, IEEE P1363 r||s). */
import { createHash, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { encodeImageHeader } from "../../modules/ota/image-header.js";

/** A fleet update key pair; `publicHex` is what `ota.key` takes (04||X||Y). */
export function updateKey(): { privateKey: KeyObject; publicHex: string } {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const der = publicKey.export({ type: "spki", format: "der" });
  return { privateKey, publicHex: der.subarray(der.length - 65).toString("hex") };
}

/** An image of `version` with `payloadBytes` of seeded payload, signed by `key`. */
export function signedImage(key: KeyObject, version: string, payloadBytes: number, seed = 1): { image: Uint8Array; sha256: string; sig: string } {
  const payload = new Uint8Array(payloadBytes);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < payloadBytes; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    payload[i] = x & 0xff;
  }
  const image = new Uint8Array(16 + payloadBytes);
  image.set(encodeImageHeader(version, payloadBytes));
  image.set(payload, 16);
  return {
    image,
    sha256: createHash("sha256").update(image).digest("hex"),
    sig: sign("sha256", image, { key, dsaEncoding: "ieee-p1363" }).toString("hex"),
  };
}
