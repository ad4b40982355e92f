/**
 * References for `compress` (bench and tests only): the floor (fewest line
 * segments at a strict bound), a plain deadband and a classic swing filter.
 */
import { LinePolygon } from "../../modules/edge/line-polygon.js";
import type { Point } from "../helpers/series-check.js";

/**
 * The floor: the fewest line segments (not necessarily connected) that keep
 * every sample within e, by greedy longest segments (optimal for disjoint
 * segments), each extension checked exactly by clipping the feasible
 * (slope, offset) polygon. Any connected reduction needs at least
 * `segments + 1` points; `points` is that number.
 */
export function floorSegments(samples: readonly Point[], e: number): { segments: number; points: number } {
  const polygon = new LinePolygon(1 << 16);
  let segments = 0;
  let i = 0;
  while (i < samples.length) {
    segments++;
    const t0 = samples[i].at;
    let j = i + 1;
    if (j < samples.length) {
      polygon.start(samples[i].value - e, samples[i].value + e, (samples[j].at - t0) / 1000, samples[j].value - e, samples[j].value + e);
      j++;
      while (j < samples.length) {
        const d = (samples[j].at - t0) / 1000;
        if (!polygon.clip(d, samples[j].value + e, true, 0) || !polygon.clip(d, samples[j].value - e, false, 0)) break;
        j++;
      }
    }
    i = j;
  }
  return { segments, points: segments + 1 };
}

/** A plain deadband: a sample is reported when it differs from the last reported one by more than e; the last sample always. */
export function deadbandPoints(samples: readonly Point[], e: number): Point[] {
  const out: Point[] = [];
  for (const s of samples) if (out.length === 0 || Math.abs(s.value - out[out.length - 1].value) > e) out.push(s);
  const last = samples[samples.length - 1];
  if (last && out[out.length - 1] !== last) out.push(last);
  return out;
}

/**
 * The classic swing filter (Bristol 1990; Elmeleegy et al. 2009): a segment
 * starts at a fixed point (the first sample, then the previous segment's
 * end), keeps the interval of slopes through every sample's band, and when a
 * sample leaves it empty ends at the previous sample on the middle slope.
 */
export function swingPoints(samples: readonly Point[], e: number): Point[] {
  const out: Point[] = [];
  if (samples.length === 0) return out;
  let anchor: Point = samples[0];
  out.push(anchor);
  let lo = -Infinity;
  let hi = Infinity;
  let last = anchor;
  for (let i = 1; i < samples.length; i++) {
    const s = samples[i];
    const d = (s.at - anchor.at) / 1000;
    const nlo = Math.max(lo, (s.value - e - anchor.value) / d);
    const nhi = Math.min(hi, (s.value + e - anchor.value) / d);
    if (nlo <= nhi) {
      lo = nlo;
      hi = nhi;
      last = s;
      continue;
    }
    const slope = (lo + hi) / 2;
    anchor = { at: last.at, value: anchor.value + slope * ((last.at - anchor.at) / 1000) };
    out.push(anchor);
    const d2 = (s.at - anchor.at) / 1000;
    lo = (s.value - e - anchor.value) / d2;
    hi = (s.value + e - anchor.value) / d2;
    last = s;
  }
  if (last !== anchor) out.push({ at: last.at, value: anchor.value + ((lo + hi) / 2) * ((last.at - anchor.at) / 1000) });
  return out;
}
