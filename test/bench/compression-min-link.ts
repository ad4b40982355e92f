/**
 * Bench only: the exact fewest points of ANY piecewise-linear series that
 * keeps every sample within e when interpolated linearly between its points,
 * with the points free in time and value (the minimum-link path through the
 * "doors" [y_i − e, y_i + e] at t_i; see Imai & Iri 1986, Hakimi &
 * Schmeichel 1991, Suri 1986 for the window method this follows).
 *
 * A series of points is a polyline: each link is a line. Between two sample
 * times the polyline is free (the bound is only at samples), so a "jump"
 * (the end of one line, the start of the next) is just one more link that
 * covers no sample: connected and mixed reductions are the same problem and
 * the count is links + 1.
 *
 * Window propagation, in the dual (a line = its values at two times): let
 * D_k(r) be the lines that can be the k-th link of a valid path while
 * crossing door r. Then
 *   D_k(r+1) = stab(r+1) ∩ [ D_k(r) ∪ Meet(D_{k−1}(r), [t_r, t_{r+1}]) ],
 * where Meet(D, [a, b]) is the lines that cross some line of D between a
 * and b. For a connected D that depends only on D's value ranges at a and at
 * b: a line (p = its value at a, q = at b) misses all of D exactly when
 * p > max D(a) and q > max D(b), or p < min D(a) and q < min D(b) (lines
 * cross when their difference changes sign). So Meet is the plane minus two
 * quadrants, three boxes in (p, q). And D_{k+2}(r+1) is all of stab(r+1)
 * once D_k(r) is not empty (a link inside the room joins anything), so only
 * the two lowest non-empty levels are kept, each as a union of convex
 * polygons (dominated ones dropped). The answer is exact: the fewest k with
 * D_k(last) non-empty, + 1. Checked against a brute force (every partition,
 * joint or jump at each break, an LP per sign pattern) on 66 random cases of
 * 4–8 samples while it was written.
 *
 * `tolerance` (default 1e-9 · e) widens every band: quantised recordings
 * (SKAB's pressure takes a few values) have optima that touch e exactly, so
 * this is a generous (lower) count, the right side for a lower bound. A
 * level of more than MAX_PIECES polygons (long smooth stretches) is replaced
 * by their convex hull, a superset: the count is then a lower bound
 * (`exact` false).
 */
import type { Point } from "../helpers/series-check.js";

/** A convex polygon of lines y = v + s·(t − origin)/1000. */
export interface Piece {
  origin: number;
  s: number[];
  v: number[];
}

/** Result of `minLinkPoints`. */
export interface MinLink {
  /** Fewest points (links + 1). */
  points: number;
  /** Most polygons held at once (the cost of the exact sets). */
  pieces: number;
  /** False when a level had more than `MAX_PIECES` polygons and was replaced by their convex hull: then `points` is a lower bound. */
  exact: boolean;
}

/** Polygons per level before the level is relaxed to its convex hull (a superset: fewer links, so a lower bound). */
const MAX_PIECES = 64;

/** The convex hull of the pieces, as one piece with origin `at` (Andrew's monotone chain). */
export function hull(list: readonly Piece[], at: number): Piece {
  const points: [number, number][] = [];
  for (const p of list) {
    const shift = (at - p.origin) / 1000;
    for (let i = 0; i < p.s.length; i++) points.push([p.s[i], p.v[i] + p.s[i] * shift]);
  }
  points.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const cross = (o: [number, number], a: [number, number], b: [number, number]) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const chain = (pts: [number, number][]) => {
    const out: [number, number][] = [];
    for (const q of pts) {
      while (out.length >= 2 && cross(out[out.length - 2], out[out.length - 1], q) <= 0) out.pop();
      out.push(q);
    }
    out.pop();
    return out;
  };
  const ring = [...chain(points), ...chain([...points].reverse())];
  return { origin: at, s: ring.map((q) => q[0]), v: ring.map((q) => q[1]) };
}

export function clipHalf(p: Piece, d: number, c: number, upper: boolean, tol: number): Piece | undefined {
  const out: Piece = { origin: p.origin, s: [], v: [] };
  const n = p.s.length;
  const sign = upper ? 1 : -1;
  for (let i = 0; i < n; i++) {
    const j = i + 1 === n ? 0 : i + 1;
    const fp = sign * (p.v[i] + p.s[i] * d - c) - tol;
    const fq = sign * (p.v[j] + p.s[j] * d - c) - tol;
    if (fp <= 0) {
      out.s.push(p.s[i]);
      out.v.push(p.v[i]);
    }
    if ((fp < 0 && fq > 0) || (fp > 0 && fq < 0)) {
      const t = fp / (fp - fq);
      out.s.push(p.s[i] + t * (p.s[j] - p.s[i]));
      out.v.push(p.v[i] + t * (p.v[j] - p.v[i]));
    }
  }
  return out.s.length ? out : undefined;
}

export function clipBand(p: Piece, at: number, lo: number, hi: number, tol: number): Piece | undefined {
  const d = (at - p.origin) / 1000;
  const upper = clipHalf(p, d, hi, true, tol);
  return upper && clipHalf(upper, d, lo, false, tol);
}

export function reach(p: Piece, at: number): [number, number] {
  const d = (at - p.origin) / 1000;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < p.s.length; i++) {
    const y = p.v[i] + p.s[i] * d;
    if (y < lo) lo = y;
    if (y > hi) hi = y;
  }
  return [lo, hi];
}

/** The lines with value in [p0, p1] at a and [q0, q1] at b. */
export function box(a: number, b: number, p0: number, p1: number, q0: number, q1: number): Piece {
  const g = (b - a) / 1000;
  const corners = [[p0, q0], [p1, q0], [p1, q1], [p0, q1]];
  return { origin: a, s: corners.map(([p, q]) => (q - p) / g), v: corners.map(([p]) => p) };
}

/**
 * Lines through [lo, hi] at b that cross a line of some piece between a and
 * b: per piece the plane minus two quadrants, all pieces' boxes merged (the
 * full-width ones as merged intervals, the corner ones as staircases).
 */
export function meet(pieces: readonly Piece[], a: number, b: number, lo: number, hi: number, wide: number): Piece[] {
  const c = (lo + hi) / 2;
  const p0 = c - wide;
  const p1 = c + wide;
  const spans: [number, number][] = [];
  const above: [number, number][] = [];
  const below: [number, number][] = [];
  for (const piece of pieces) {
    const [la, ua] = reach(piece, a);
    const [lb, ub] = reach(piece, b);
    if (Math.max(lo, lb) <= Math.min(hi, ub)) spans.push([Math.max(lo, lb), Math.min(hi, ub)]);
    if (ub < hi) above.push([Math.max(lo, ub), ua]);
    if (lb > lo) below.push([Math.min(hi, lb), la]);
  }
  const out: Piece[] = [];
  spans.sort((x, y) => x[0] - y[0]);
  let open: [number, number] | undefined;
  for (const [x, y] of spans) {
    if (open && x <= open[1]) open[1] = Math.max(open[1], y);
    else {
      if (open) out.push(box(a, b, p0, p1, open[0], open[1]));
      open = [x, y];
    }
  }
  if (open) out.push(box(a, b, p0, p1, open[0], open[1]));
  above.sort((x, y) => x[0] - y[0] || y[1] - x[1]);
  let best = -Infinity;
  for (const [q0, ua] of above)
    if (ua > best) {
      best = ua;
      if (ua > p0) out.push(box(a, b, p0, Math.min(ua, p1), q0, hi));
    }
  below.sort((x, y) => y[0] - x[0] || x[1] - y[1]);
  best = Infinity;
  for (const [q1, la] of below)
    if (la < best) {
      best = la;
      if (la < p1) out.push(box(a, b, Math.max(la, p0), p1, lo, q1));
    }
  return out;
}

/** Every vertex of p inside convex q (within a relative hair). */
function inside(p: Piece, q: Piece): boolean {
  const n = q.s.length;
  if (n < 3) return false;
  const shift = (q.origin - p.origin) / 1000;
  let side = 0;
  for (let k = 0; k < p.s.length; k++) {
    const x = p.s[k];
    const y = p.v[k] + p.s[k] * shift;
    for (let i = 0; i < n; i++) {
      const j = i + 1 === n ? 0 : i + 1;
      const cross = (q.s[j] - q.s[i]) * (y - q.v[i]) - (q.v[j] - q.v[i]) * (x - q.s[i]);
      if (Math.abs(cross) <= 1e-12 * (1 + Math.abs(x) + Math.abs(y)) * (1 + Math.abs(q.s[j] - q.s[i]) + Math.abs(q.v[j] - q.v[i]))) continue;
      const sign = Math.sign(cross);
      if (side === 0) side = sign;
      else if (sign !== side) return false;
    }
  }
  return true;
}

/** Drops polygons inside another (value ranges at `at` checked first, cheaply). */
export function prune(list: Piece[], at: number): Piece[] {
  const ranges = list.map((p) => reach(p, at));
  const keep: Piece[] = [];
  for (let i = 0; i < list.length; i++) {
    let dominated = false;
    for (let j = 0; j < list.length && !dominated; j++) {
      if (j === i || ranges[i][0] < ranges[j][0] || ranges[i][1] > ranges[j][1]) continue;
      // Of two equal polygons keep the first.
      if (inside(list[i], list[j]) && !(j > i && inside(list[j], list[i]))) dominated = true;
    }
    if (!dominated) keep.push(list[i]);
  }
  return keep;
}

/** `prune`, then a level with too many polygons becomes their hull; `relaxed` is told. */
export function bound(list: Piece[], at: number, relaxed: () => void): Piece[] {
  const kept = prune(list, at);
  if (kept.length <= MAX_PIECES) return kept;
  relaxed();
  return [hull(kept, at)];
}

/** "Any value" at the far edge of a room, made finite: far beyond every line that meets two doors of `samples` at bound `e`. */
export function anyValue(samples: readonly Point[], e: number): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of samples) {
    lo = Math.min(lo, s.value);
    hi = Math.max(hi, s.value);
  }
  return 1e3 * (hi - lo + 2 * e);
}

/** The lines through door `r` (within `half` of its sample) that take any value (±`wide`) at the next sample (1 s on after the last). */
export function door(samples: readonly Point[], r: number, half: number, wide: number): Piece {
  const gap = r + 1 < samples.length ? samples[r + 1].at - samples[r].at : 1000;
  const y = samples[r].value;
  return box(samples[r].at, samples[r].at + gap, y - half, y + half, y - wide, y + wide);
}

/** The exact fewest points (see above) for samples sorted by strictly increasing time. */
export function minLinkPoints(samples: readonly Point[], e: number, tolerance = 1e-9 * e): MinLink {
  const n = samples.length;
  if (n <= 1) return { points: n, pieces: 0, exact: true };
  let exact = true;
  const relaxed = () => {
    exact = false;
  };
  const wide = anyValue(samples, e);
  const stab = (r: number): Piece => door(samples, r, e, wide);
  let links = 1;
  let level: Piece[] = [stab(0)]; // D_links(r)
  let next: Piece[] = [stab(0)]; // D_links+1(r)
  let most = 2;
  for (let r = 0; r + 1 < n; r++) {
    const a = samples[r].at;
    const b = samples[r + 1].at;
    const ylo = samples[r + 1].value - e;
    const yhi = samples[r + 1].value + e;
    const clip = (list: Piece[]) => list.map((p) => clipBand(p, b, ylo, yhi, tolerance)).filter((p): p is Piece => p !== undefined);
    const kept = clip(level);
    const later = bound([...clip(next), ...meet(level, a, b, ylo, yhi, wide)], b, relaxed);
    if (kept.length) {
      level = bound(kept, b, relaxed);
      next = later;
    } else if (later.length) {
      links += 1;
      level = later;
      next = [stab(r + 1)];
    } else {
      links += 2;
      level = [stab(r + 1)];
      next = [stab(r + 1)];
    }
    most = Math.max(most, level.length + next.length);
  }
  return { points: links + 1, pieces: most, exact };
}
