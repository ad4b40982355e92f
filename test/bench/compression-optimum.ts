/**
 * Bench only: the fewest points of a polyline with its vertices at sample
 * times that keeps every sample within e (consecutive vertices with no
 * sample between them are free: that is a jump). A dynamic programme over
 * the vertices: for each sample i and point count k, the set of values the
 * vertex at t_i can take (a union of intervals), from every earlier vertex j
 * whose line to it fits the samples between (checked exactly with the
 * feasible-line polygon, built backwards from i). Two levels of k per sample
 * are kept (the fewest and one more), so it is an upper bound of that
 * optimum, close in practice. Joints between sample times (which `compress`
 * may use) are not considered.
 */
import { LinePolygon } from "../../modules/edge/line-polygon.js";
import type { Point } from "../helpers/series-check.js";

type Intervals = [number, number][];

function merge(list: Intervals): Intervals {
  list.sort((a, b) => a[0] - b[0]);
  const out: Intervals = [];
  for (const [lo, hi] of list) {
    const last = out[out.length - 1];
    if (last && lo <= last[1]) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

/** The fewest points (see above); `maxBack` bounds how many samples a line may span. */
export function optimumPoints(samples: readonly Point[], e: number, maxBack = 4000): number {
  const n = samples.length;
  if (n === 0) return 0;
  /** kmin[i], and the vertex value sets at kmin[i] and kmin[i] + 1. */
  const kmin = new Array<number>(n);
  const sets: [Intervals, Intervals][] = new Array(n);
  kmin[0] = 1;
  sets[0] = [[[samples[0].value - e, samples[0].value + e]], []];
  const poly = new LinePolygon(1 << 14);
  const trial = new LinePolygon(1 << 14);
  for (let i = 1; i < n; i++) {
    const ti = samples[i].at;
    const yi = samples[i].value;
    const found = new Map<number, Intervals>();
    // Lines y = v + s·(t − t_i)/1000 with v in band_i, fitting the samples strictly between j and i.
    let started = false;
    for (let j = i - 1; j >= 0 && i - j <= maxBack; j--) {
      const dj = (samples[j].at - ti) / 1000;
      if (j < i - 1) {
        const m = samples[j + 1];
        const dm = (m.at - ti) / 1000;
        if (!started) {
          poly.start(yi - e, yi + e, dm, m.value - e, m.value + e);
          started = true;
        } else if (!poly.clipStrip(dm, m.value - e, m.value + e, 0)) break;
      }
      for (let level = 0; level < 2; level++) {
        const k = kmin[j] + level + 1;
        for (const [alo, ahi] of sets[j][level]) {
          let lo: number;
          let hi: number;
          if (!started) {
            lo = yi - e;
            hi = yi + e;
          } else {
            trial.copy(poly);
            if (!trial.clipStrip(dj, alo, ahi, 0)) continue;
            [lo, hi] = trial.reach(0);
          }
          const list = found.get(k) ?? [];
          list.push([lo, hi]);
          found.set(k, list);
        }
      }
    }
    const ks = [...found.keys()].sort((a, b) => a - b);
    kmin[i] = ks[0];
    sets[i] = [merge(found.get(ks[0])!), merge(found.get(ks[0] + 1) ?? [])];
  }
  return kmin[n - 1];
}
