/**
 * The set of lines `y = v + s·d` (d: seconds after a segment's start) that
 * keep a run of samples within their bands, kept exactly as a convex polygon
 * in the (slope s, start value v) plane (O'Rourke 1981, "An on-line
 * algorithm for fitting straight lines between data ranges"). Each sample
 * adds two half-planes `y − e ≤ v + s·d ≤ y + e`; clipping is O(k) in the
 * polygon's vertex count k, which the caller bounds (`MAX_VERTICES`).
 *
 * Buffers are allocated once per polygon: 2 × 8 bytes per vertex of
 * capacity, and as much again for the clip's scratch unless shared.
 */
export class LinePolygon {
  /** Vertex count above which the owner should close its segment (memory bound). */
  static readonly MAX_VERTICES = 16;
  /** Default room: one clip beyond MAX_VERTICES (a clip adds at most one vertex per half-plane). */
  static readonly CAPACITY = LinePolygon.MAX_VERTICES + 4;

  readonly capacity: number;
  #s: Float64Array;
  #v: Float64Array;
  #ts: Float64Array;
  #tv: Float64Array;
  #n = 0;

  /**
   * A polygon with room for `capacity` vertices (default CAPACITY).
   * Polygons used by one owner may share `scratch` (the buffers a clip
   * writes into before copying back), each of at least `capacity`.
   */
  constructor(capacity: number = LinePolygon.CAPACITY, scratch?: { s: Float64Array; v: Float64Array }) {
    this.capacity = capacity;
    this.#s = new Float64Array(capacity);
    this.#v = new Float64Array(capacity);
    this.#ts = scratch?.s ?? new Float64Array(capacity);
    this.#tv = scratch?.v ?? new Float64Array(capacity);
  }

  /** Vertices now (0 when empty). */
  get size(): number {
    return this.#n;
  }

  /**
   * The lines that start in [lo, hi] at d = 0 and pass through [ylo, yhi] at
   * d (> 0): a parallelogram (two vertices when lo = hi).
   */
  start(lo: number, hi: number, d: number, ylo: number, yhi: number): void {
    const corners: [number, number][] = lo === hi
      ? [[(ylo - lo) / d, lo], [(yhi - lo) / d, lo]]
      : [[(ylo - lo) / d, lo], [(yhi - lo) / d, lo], [(yhi - hi) / d, hi], [(ylo - hi) / d, hi]];
    this.#n = corners.length;
    corners.forEach(([s, v], i) => {
      this.#s[i] = s;
      this.#v[i] = v;
    });
  }

  /** Copies another polygon into this one. */
  copy(from: LinePolygon): void {
    this.#n = from.#n;
    this.#s.set(from.#s.subarray(0, from.#n));
    this.#v.set(from.#v.subarray(0, from.#n));
  }

  /**
   * Keeps the lines with `v + s·d ≤ c` (`upper`) or `≥ c` (lower), a point
   * within `tolerance` of the edge counting as inside. False when the
   * polygon became empty or would exceed its capacity (it is then unusable).
   */
  clip(d: number, c: number, upper: boolean, tolerance: number): boolean {
    const n = this.#n;
    const sign = upper ? 1 : -1;
    let m = 0;
    for (let i = 0; i < n; i++) {
      const j = i + 1 === n ? 0 : i + 1;
      const fp = sign * (this.#v[i] + this.#s[i] * d - c);
      const fq = sign * (this.#v[j] + this.#s[j] * d - c);
      const inP = fp <= tolerance;
      const inQ = fq <= tolerance;
      if (inP) m = this.#put(m, this.#s[i], this.#v[i]);
      if (inP !== inQ && m >= 0) {
        const t = fp / (fp - fq);
        m = this.#put(m, this.#s[i] + t * (this.#s[j] - this.#s[i]), this.#v[i] + t * (this.#v[j] - this.#v[i]));
      }
      if (m < 0) {
        this.#n = 0;
        return false;
      }
    }
    this.#n = m;
    this.#s.set(this.#ts.subarray(0, m));
    this.#v.set(this.#tv.subarray(0, m));
    return m > 0;
  }

  /** Lowest and highest `v + s·d` over the polygon (the values its lines reach at d). */
  reach(d: number): [number, number] {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < this.#n; i++) {
      const y = this.#v[i] + this.#s[i] * d;
      if (y < lo) lo = y;
      if (y > hi) hi = y;
    }
    return [lo, hi];
  }

  /**
   * Slopes of the polygon's lines that pass through w at d (`v + s·d = w`):
   * [lowest, highest], or undefined when none does.
   */
  through(d: number, w: number): [number, number] | undefined {
    let lo = Infinity;
    let hi = -Infinity;
    const n = this.#n;
    for (let i = 0; i < n; i++) {
      const j = i + 1 === n ? 0 : i + 1;
      const fi = this.#v[i] + this.#s[i] * d - w;
      const fj = this.#v[j] + this.#s[j] * d - w;
      if (fi === 0) {
        if (this.#s[i] < lo) lo = this.#s[i];
        if (this.#s[i] > hi) hi = this.#s[i];
      }
      if ((fi < 0 && fj > 0) || (fi > 0 && fj < 0)) {
        const s = this.#s[i] + (fi / (fi - fj)) * (this.#s[j] - this.#s[i]);
        if (s < lo) lo = s;
        if (s > hi) hi = s;
      }
    }
    return lo <= hi ? [lo, hi] : undefined;
  }

  /**
   * The value w in [lo, hi] (within the polygon's reach at d) through which
   * the polygon's lines have the widest range of slopes, and those slopes:
   * [w, lowest slope, highest slope], or undefined when [lo, hi] misses the
   * reach. The width is concave in w, so it is largest at a vertex's value or
   * at an end of the range; on a plateau of equal widths, its middle.
   */
  widestThrough(d: number, lo: number, hi: number): [number, number, number] | undefined {
    const [rlo, rhi] = this.reach(d);
    const a = Math.max(lo, rlo);
    const b = Math.min(hi, rhi);
    if (a > b) return undefined;
    let bestWidth = -1;
    let from = a;
    let to = a;
    const slack = 1e-9 * (this.#slopeSpan() + 1e-300);
    const consider = (w: number) => {
      const slopes = this.through(d, w);
      if (!slopes) return;
      const width = slopes[1] - slopes[0];
      if (width > bestWidth + slack) {
        bestWidth = width;
        from = to = w;
      } else if (width >= bestWidth - slack) {
        from = Math.min(from, w);
        to = Math.max(to, w);
      }
    };
    consider(a);
    consider(b);
    for (let i = 0; i < this.#n; i++) {
      const w = this.#v[i] + this.#s[i] * d;
      if (w > a && w < b) consider(w);
    }
    if (bestWidth < 0) return undefined;
    // A plateau of equal widths (the width is concave): its middle.
    const w = (from + to) / 2;
    const middle = this.through(d, w);
    if (middle) return [w, middle[0], middle[1]];
    const edge = this.through(d, from);
    return edge ? [from, edge[0], edge[1]] : undefined;
  }

  /** Keeps the lines with lo ≤ v + s·d ≤ hi (see `clip`); false when none is left. */
  clipStrip(d: number, lo: number, hi: number, tolerance: number): boolean {
    return this.clip(d, hi, true, tolerance) && this.clip(d, lo, false, tolerance);
  }

  /** Range of slopes over the vertices (a scale for tolerances). */
  #slopeSpan(): number {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < this.#n; i++) {
      if (this.#s[i] < lo) lo = this.#s[i];
      if (this.#s[i] > hi) hi = this.#s[i];
    }
    return hi - lo;
  }

  #put(m: number, s: number, v: number): number {
    if (m > 0 && this.#ts[m - 1] === s && this.#tv[m - 1] === v) return m;
    if (m >= this.capacity) return -1;
    this.#ts[m] = s;
    this.#tv[m] = v;
    return m + 1;
  }
}
