import { cborNumberSize, nearestHalf } from "./cbor-number.js";

/**
 * The number with the shortest CBOR form (cbor-number.ts) within `tolerance`
 * of `target`: the integer of least magnitude when one lies within it, else
 * the nearest float16, else the nearest float32, else `target` itself
 * (whichever is shortest; `target` on a tie, so a tolerance of 0 changes
 * nothing). `tolerance` ≥ 0; a non-finite target is returned as it is.
 */
export function shortestWithin(target: number, tolerance: number): number {
  if (!Number.isFinite(target) || !(tolerance > 0)) return target;
  const lo = target - tolerance;
  const hi = target + tolerance;
  let best = target;
  let size = cborNumberSize(target);
  const consider = (x: number | undefined) => {
    if (x === undefined || !(x >= lo && x <= hi)) return;
    const s = cborNumberSize(x);
    if (s < size) {
      best = x;
      size = s;
    }
  };
  consider(lo <= 0 && hi >= 0 ? 0 : lo > 0 ? Math.ceil(lo) : Math.floor(hi));
  if (size > 3) consider(nearestHalf(target));
  if (size > 5) consider(Math.fround(target));
  return best;
}

/**
 * The tolerance that keeps `value` to six significant digits: a twentieth
 * of a unit in its sixth digit (half a unit of the seventh), so the value a
 * receiver reads prints as `value.toPrecision(6)` does. 0 for 0 and
 * non-finite values.
 */
export function sixDigitTolerance(value: number): number {
  const a = Math.abs(value);
  if (!(a > 0) || !Number.isFinite(a)) return 0;
  return 0.5 * Math.pow(10, Math.floor(Math.log10(a)) - 6);
}

/**
 * What a reading's value may be reported as: any number within `tolerance`
 * of `target`. With a `tolerance` (compress points, see
 * modules/edge/reported-compress.ts) that is the value itself and the
 * tolerance; without, the value to six significant digits (the telemetry's
 * stated precision) and `sixDigitTolerance` of it.
 */
export function reportWindow(value: number, tolerance: number | undefined): { target: number; tolerance: number } {
  if (tolerance !== undefined && tolerance > 0) return { target: value, tolerance };
  const six = Number.isInteger(value) || !Number.isFinite(value) ? value : Number(value.toPrecision(6));
  return { target: six, tolerance: sixDigitTolerance(six) };
}

/** The value a reading is reported as: the shortest number in its `reportWindow`. */
export function reportedValue(value: number, tolerance: number | undefined): number {
  const window = reportWindow(value, tolerance);
  return shortestWithin(window.target, window.tolerance);
}
