import { decodeBase64 } from "../util/base64.js";
import { derChildren, readDer, type DerElement } from "../util/der.js";

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const OCTET_STRING = 0x04;
const OID = 0x06;
/** rsaEncryption 1.2.840.113549.1.1.1 and id-ecPublicKey 1.2.840.10045.2.1, DER contents. */
const RSA_OID = "2a864886f70d010101";
const EC_OID = "2a8648ce3d0201";

/** The result of checking a client certificate against its key. */
export type IdentityCheck = { ok: true; checked: boolean } | { ok: false; error: string };

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => (b < 16 ? "0" : "") + b.toString(16)).join("");

/** The certificate's public key: algorithm OID (hex) and key bytes (the BIT STRING contents past the unused-bits byte). */
function certificateKey(der: Uint8Array): { algorithm: string; key: Uint8Array } | string {
  const cert = readDer(der);
  const certParts = cert?.tag === SEQUENCE && cert.end === der.length ? derChildren(cert.body) : undefined;
  const tbs = certParts?.[0]?.tag === SEQUENCE ? derChildren(certParts[0].body) : undefined;
  if (!tbs) return "is not a DER X.509 certificate";
  const fields = tbs[0]?.tag === 0xa0 ? tbs.slice(1) : tbs;
  const spki = fields[5]?.tag === SEQUENCE ? derChildren(fields[5].body) : undefined;
  const algorithm = spki?.[0]?.tag === SEQUENCE ? derChildren(spki[0].body)?.[0] : undefined;
  if (!spki || algorithm?.tag !== OID || spki[1]?.tag !== BIT_STRING || spki[1].body.length < 2) return "has no readable subject public key (RFC 5280 section 4.1.2.7)";
  return { algorithm: hex(algorithm.body), key: spki[1].body.subarray(1) };
}

/** The key's algorithm OID (hex) and, when the key carries it, its public part in the certificate's form. */
function privateKeyPublicPart(der: Uint8Array): { algorithm: string; key?: Uint8Array } | string {
  const info = readDer(der);
  const parts: DerElement[] | undefined = info?.tag === SEQUENCE && info.end === der.length ? derChildren(info.body) : undefined;
  const algorithm = parts?.[1]?.tag === SEQUENCE ? derChildren(parts[1].body)?.[0] : undefined;
  if (!parts || parts[0]?.tag !== INTEGER || algorithm?.tag !== OID || parts[2]?.tag !== OCTET_STRING) return "is not a DER PKCS#8 private key (RFC 5208 section 5)";
  const oid = hex(algorithm.body);
  const inner = readDer(parts[2].body);
  const fields = inner?.tag === SEQUENCE ? derChildren(inner.body) : undefined;
  if (oid === RSA_OID) {
    // RSAPrivateKey (RFC 8017 A.1.2): version, modulus, publicExponent, ...; the public key is RSAPublicKey (modulus, exponent).
    if (!fields || fields[1]?.tag !== INTEGER || fields[2]?.tag !== INTEGER) return "holds an RSA key that does not parse (RFC 8017 A.1.2)";
    return { algorithm: oid, key: encodeRsaPublic(fields[1].body, fields[2].body) };
  }
  if (oid === EC_OID) {
    // ECPrivateKey (RFC 5915 section 3): version, privateKey, [0] parameters, [1] publicKey.
    if (!fields || fields[1]?.tag !== OCTET_STRING) return "holds an EC key that does not parse (RFC 5915 section 3)";
    const tagged = fields.find((f) => f.tag === 0xa1);
    const bits = tagged ? readDer(tagged.body) : undefined;
    return { algorithm: oid, key: bits?.tag === BIT_STRING && bits.body.length > 1 ? bits.body.subarray(1) : undefined };
  }
  return { algorithm: oid };
}

/** RSAPublicKey ::= SEQUENCE { modulus, publicExponent } in DER, as a certificate carries it. */
function encodeRsaPublic(modulus: Uint8Array, exponent: Uint8Array): Uint8Array {
  const tlv = (tag: number, body: Uint8Array): number[] => {
    const n = body.length;
    const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
    return [tag, ...length, ...body];
  };
  return Uint8Array.from(tlv(SEQUENCE, Uint8Array.from([...tlv(INTEGER, modulus), ...tlv(INTEGER, exponent)])));
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Why base64 `text` is not one DER X.509 certificate with a readable subject
 * public key (RFC 5280 section 4.1), or undefined when it is (and for ""):
 * the check of `mqtt.tls_ca` at `set`. Never throws.
 */
export function certificateProblem(text: string): string | undefined {
  if (text === "") return undefined;
  const der = decodeBase64(text);
  if (!der || typeof certificateKey(der) === "string") return "not a DER X.509 certificate (base64 of one DER certificate: openssl x509 -outform DER | base64 -w0)";
  return undefined;
}

/**
 * Checks that `mqtt.tls_key` (base64 DER PKCS#8) belongs to `mqtt.tls_cert`
 * (base64 DER X.509): same algorithm, and the key's public part (an RSA
 * key's modulus and exponent, an EC key's embedded public point) equals the
 * certificate's subject public key. A key that does not carry its public
 * part (an EC key without the optional publicKey, Ed25519) passes unchecked
 * (`checked: false`): the broker's handshake decides then. Errors name the
 * key; they never contain key material. Never throws.
 */
export function checkClientIdentity(certBase64: string, keyBase64: string): IdentityCheck {
  const certDer = decodeBase64(certBase64);
  if (!certDer) return { ok: false, error: "mqtt.tls_cert is not base64" };
  const keyDer = decodeBase64(keyBase64);
  if (!keyDer) return { ok: false, error: "mqtt.tls_key is not base64" };
  const cert = certificateKey(certDer);
  if (typeof cert === "string") return { ok: false, error: `mqtt.tls_cert ${cert}` };
  const key = privateKeyPublicPart(keyDer);
  if (typeof key === "string") return { ok: false, error: `mqtt.tls_key ${key}` };
  if (key.algorithm !== cert.algorithm) return { ok: false, error: `mqtt.tls_key does not match mqtt.tls_cert: the key is ${name(key.algorithm)}, the certificate's public key ${name(cert.algorithm)}` };
  if (!key.key) return { ok: true, checked: false };
  if (!same(key.key, cert.key)) return { ok: false, error: "mqtt.tls_key does not match mqtt.tls_cert: the key's public part differs from the certificate's public key" };
  return { ok: true, checked: true };
}

function name(oid: string): string {
  return oid === RSA_OID ? "RSA" : oid === EC_OID ? "EC" : `OID ${oid}`;
}
