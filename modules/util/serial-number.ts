/**
 * True when generation `a` is newer than `b` in serial-number arithmetic on
 * u32 (RFC 1982 section 3.2): counters that wrap at 2^32 still compare
 * right, as long as the two are less than 2^31 apart.
 */
export function newer(a: number, b: number): boolean {
  const d = (a - b) >>> 0;
  return d !== 0 && d < 0x80000000;
}
