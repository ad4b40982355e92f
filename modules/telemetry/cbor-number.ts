/**
 * CBOR numbers in their shortest exact form (RFC 8949 section 4.2.1, as
 * deterministic encoding asks, extended to floats per section 4.2.2's
 * "preferred serialization"): an integer up to 2^32 − 1 in magnitude as a
 * CBOR integer (1, 2, 3 or 5 bytes), any other value as float16 when half precision holds it exactly,
 * else float32 when single precision does, else float64. A decoder reads
 * back the very double that was written, whatever its size.
 */

/**
 * Largest integer written as a CBOR integer: 2^32 − 1. Beyond it CBOR needs
 * 8 bytes (9 with the head), no shorter than a float64, and decoders such
 * as cbor-x return a BigInt, which a receiver cannot add to a number.
 */
const MAX_INT = 0xffffffff;

/** 2^k as a double (exact for -1074 ≤ k ≤ 1023). */
function pow2(k: number): number {
  return Math.pow(2, k);
}

/** floor(log2(a)) exactly, for a finite a > 0. */
function exponentOf(a: number): number {
  let e = Math.floor(Math.log2(a));
  if (pow2(e) > a) e--;
  else if (pow2(e + 1) <= a) e++;
  return e;
}

/** The float16 bits of `x` when half precision holds it exactly, else -1. */
export function halfBits(x: number): number {
  if (Number.isNaN(x)) return 0x7e00;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a === 0) return sign;
  if (a === Infinity) return sign | 0x7c00;
  // What float32 cannot hold exactly, float16 cannot either: most doubles stop here, cheaply.
  if (Math.fround(a) !== a) return -1;
  const e = exponentOf(a);
  if (e > 15) return -1;
  if (e < -14) {
    const m = a / pow2(-24);
    return Number.isInteger(m) && m < 1024 ? sign | m : -1;
  }
  const m = (a / pow2(e) - 1) * 1024;
  return Number.isInteger(m) ? sign | ((e + 15) << 10) | m : -1;
}

/** The float16 value nearest to `x` (ties away from zero), or undefined beyond half precision's range. */
export function nearestHalf(x: number): number | undefined {
  const a = Math.abs(x);
  if (!Number.isFinite(a)) return undefined;
  if (a === 0) return x;
  const quantum = pow2(Math.max(exponentOf(a), -14) - 10);
  const r = Math.round(a / quantum) * quantum;
  if (r > 65504) return undefined;
  return x < 0 ? -r : r;
}

/** Bytes the CBOR integer head of `n` (≥ 0) takes: 1, 2, 3, 5 or 9. */
export function headSize(n: number): number {
  return n < 24 ? 1 : n < 0x100 ? 2 : n < 0x10000 ? 3 : n < 0x100000000 ? 5 : 9;
}

/** Bytes `writeCborNumber` writes for `x`. */
export function cborNumberSize(x: number): number {
  if (Number.isInteger(x) && Math.abs(x) <= MAX_INT && !Object.is(x, -0)) return headSize(x < 0 ? -1 - x : x);
  if (Math.fround(x) !== x && !Number.isNaN(x)) return 9;
  return halfBits(x) >= 0 ? 3 : 5;
}

/**
 * Writes a CBOR head: major type (0-7) and argument `n` (0 ≤ n ≤ 2^53),
 * shortest form, into `out` at `at`; returns the offset after it.
 */
export function writeHead(out: Uint8Array, at: number, major: number, n: number): number {
  const m = major << 5;
  if (n < 24) {
    out[at] = m | n;
    return at + 1;
  }
  if (n < 0x100) {
    out[at] = m | 24;
    out[at + 1] = n;
    return at + 2;
  }
  if (n < 0x10000) {
    out[at] = m | 25;
    out[at + 1] = n >> 8;
    out[at + 2] = n & 0xff;
    return at + 3;
  }
  if (n < 0x100000000) {
    out[at] = m | 26;
    writeUint32(out, at + 1, n);
    return at + 5;
  }
  out[at] = m | 27;
  writeUint32(out, at + 1, Math.floor(n / 0x100000000));
  writeUint32(out, at + 5, n % 0x100000000);
  return at + 9;
}

function writeUint32(out: Uint8Array, at: number, n: number): void {
  out[at] = (n >>> 24) & 0xff;
  out[at + 1] = (n >>> 16) & 0xff;
  out[at + 2] = (n >>> 8) & 0xff;
  out[at + 3] = n & 0xff;
}

/**
 * Writes `x` in its shortest exact CBOR form (see the file comment) into
 * `out` at `at`, which must have `cborNumberSize(x)` bytes free; returns the
 * offset after it.
 */
export function writeCborNumber(out: Uint8Array, at: number, x: number): number {
  if (Number.isInteger(x) && Math.abs(x) <= MAX_INT && !Object.is(x, -0)) return x < 0 ? writeHead(out, at, 1, -1 - x) : writeHead(out, at, 0, x);
  const half = halfBits(x);
  if (half >= 0) {
    out[at] = 0xf9;
    out[at + 1] = half >> 8;
    out[at + 2] = half & 0xff;
    return at + 3;
  }
  const view = new DataView(out.buffer, out.byteOffset + at + 1, 8 <= out.byteLength - at - 1 ? 8 : 4);
  if (Math.fround(x) === x) {
    out[at] = 0xfa;
    view.setFloat32(0, x);
    return at + 5;
  }
  out[at] = 0xfb;
  view.setFloat64(0, x);
  return at + 9;
}
