/**
 * ECDSA signature verification on NIST P-256 (secp256r1), in plain
 * JavaScript with BigInt: SEC 1 v2 section 4.1.4, curve from FIPS 186-4
 * appendix D.1.2.3. XS-safe (XS has BigInt); slow but bounded (two scalar
 * multiplications of 256 doublings each, once per update). Verification
 * only: the node never holds a private key. Checked against node:crypto
 * signatures (test/ota/p256.test.ts).
 */

const P = BigInt("0xffffffff00000001000000000000000000000000ffffffffffffffffffffffff");
const N = BigInt("0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
const B = BigInt("0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b");
const GX = BigInt("0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296");
const GY = BigInt("0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5");
const ZERO = BigInt(0);
const ONE = BigInt(1);
const TWO = BigInt(2);
const THREE = BigInt(3);
const FOUR = BigInt(4);
const EIGHT = BigInt(8);

/** A point in Jacobian coordinates (X/Z², Y/Z³); Z = 0 is the point at infinity. */
type Jacobian = [bigint, bigint, bigint];

const mod = (a: bigint, m: bigint): bigint => {
  const r = a % m;
  return r < ZERO ? r + m : r;
};

function inverse(a: bigint, m: bigint): bigint {
  let [r0, r1] = [mod(a, m), m];
  let [s0, s1] = [ONE, ZERO];
  while (r1 !== ZERO) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return mod(s0, m);
}

function double([x, y, z]: Jacobian): Jacobian {
  if (z === ZERO || y === ZERO) return [ZERO, ONE, ZERO];
  // a = -3: M = 3 (X - Z²)(X + Z²)
  const zz = mod(z * z, P);
  const m = mod(THREE * (x - zz) * (x + zz), P);
  const yy = mod(y * y, P);
  const s = mod(FOUR * x * yy, P);
  const x3 = mod(m * m - TWO * s, P);
  const y3 = mod(m * (s - x3) - EIGHT * yy * yy, P);
  const z3 = mod(TWO * y * z, P);
  return [x3, y3, z3];
}

function add(p: Jacobian, q: Jacobian): Jacobian {
  if (p[2] === ZERO) return q;
  if (q[2] === ZERO) return p;
  const z1z1 = mod(p[2] * p[2], P);
  const z2z2 = mod(q[2] * q[2], P);
  const u1 = mod(p[0] * z2z2, P);
  const u2 = mod(q[0] * z1z1, P);
  const s1 = mod(p[1] * q[2] * z2z2, P);
  const s2 = mod(q[1] * p[2] * z1z1, P);
  const h = mod(u2 - u1, P);
  const r = mod(s2 - s1, P);
  if (h === ZERO) return r === ZERO ? double(p) : [ZERO, ONE, ZERO];
  const hh = mod(h * h, P);
  const hhh = mod(h * hh, P);
  const v = mod(u1 * hh, P);
  const x3 = mod(r * r - hhh - TWO * v, P);
  const y3 = mod(r * (v - x3) - s1 * hhh, P);
  const z3 = mod(p[2] * q[2] * h, P);
  return [x3, y3, z3];
}

/** u1·G + u2·Q by one double-and-add pass (Shamir's trick). */
function twoMultiply(u1: bigint, g: Jacobian, u2: bigint, q: Jacobian): Jacobian {
  const gq = add(g, q);
  let acc: Jacobian = [ZERO, ONE, ZERO];
  for (let bit = 255; bit >= 0; bit--) {
    acc = double(acc);
    const b1 = (u1 >> BigInt(bit)) & ONE;
    const b2 = (u2 >> BigInt(bit)) & ONE;
    if (b1 === ONE && b2 === ONE) acc = add(acc, gq);
    else if (b1 === ONE) acc = add(acc, g);
    else if (b2 === ONE) acc = add(acc, q);
  }
  return acc;
}

function toBig(bytes: Uint8Array): bigint {
  let v = ZERO;
  for (const b of bytes) v = (v << EIGHT) | BigInt(b);
  return v;
}

/**
 * The public key as a curve point, from its SEC 1 uncompressed encoding
 * (65 bytes: 0x04, X, Y; section 2.3.3), or `undefined` when the bytes are
 * not a point on P-256.
 */
export function parseP256PublicKey(key: Uint8Array): [bigint, bigint] | undefined {
  if (key.byteLength !== 65 || key[0] !== 4) return undefined;
  const x = toBig(key.subarray(1, 33));
  const y = toBig(key.subarray(33, 65));
  if (x >= P || y >= P) return undefined;
  if (mod(y * y - (x * x * x - THREE * x + B), P) !== ZERO) return undefined;
  return [x, y];
}

/**
 * Whether `signature` (64 bytes: r then s, big-endian, IEEE P1363 form) is
 * a valid ECDSA P-256 signature of the message whose SHA-256 is `digest`
 * (32 bytes), under `publicKey` (65-byte uncompressed SEC 1). Wrong sizes, a
 * key off the curve, r or s outside [1, n-1]: false. Never throws.
 */
export function verifyP256(publicKey: Uint8Array, digest: Uint8Array, signature: Uint8Array): boolean {
  const q = parseP256PublicKey(publicKey);
  if (!q || digest.byteLength !== 32 || signature.byteLength !== 64) return false;
  const r = toBig(signature.subarray(0, 32));
  const s = toBig(signature.subarray(32, 64));
  if (r <= ZERO || r >= N || s <= ZERO || s >= N) return false;
  const e = toBig(digest);
  const w = inverse(s, N);
  const u1 = mod(e * w, N);
  const u2 = mod(r * w, N);
  const [x, , z] = twoMultiply(u1, [GX, GY, ONE], u2, [q[0], q[1], ONE]);
  if (z === ZERO) return false;
  const zi = inverse(z, P);
  const affineX = mod(x * zi * zi, P);
  return mod(affineX, N) === r;
}
