/**
 * The set of lines `y = v + s·d` (d: seconds after a segment's start) that
 * keep a run of samples within their bands, kept exactly as a convex polygon
 * in the (slope s, start value v) plane (O'Rourke 1981, "An on-line
 * algorithm for fitting straight lines between data ranges"). Each sample
 * adds two half-planes `y − e ≤ v + s·d ≤ y + e`; clipping is O(k) in the
 * polygon's vertex count k, which the caller bounds (`MAX_VERTICES`).
 *
 * Memory is fixed at construction: 2 × 8 bytes per vertex of capacity, in
 * a Float64Array of its own or at an offset of a buffer the owner shares
 * among several polygons (a typed array costs about 7 slots of the ESP32's
 * fixed XS slot heap: see `Compress`). The clip's scratch (as much again)
 * is one for all polygons of up to CAPACITY vertices (see `scratchFor`).
 */
export class LinePolygon {
  /** Vertex count above which the owner should close its segment (memory bound). */
  static readonly MAX_VERTICES = 16;
  /** Default room: one clip beyond MAX_VERTICES (a clip adds at most one vertex per half-plane). */
  static readonly CAPACITY = LinePolygon.MAX_VERTICES + 4;

  readonly capacity: number;
  /** Slopes at [#at, #at + capacity), start values right after. */
  #b: Float64Array;
  #at: number;
  /** Where a clip writes before copying back: slopes at [0, capacity), start values right after. */
  #scratch: Float64Array;
  #n = 0;

  /**
   * A polygon with room for `capacity` vertices (default CAPACITY), in a
   * buffer of its own, or in `buffer` (2 × capacity numbers from `at`;
   * polygons may share a buffer, never their numbers). Throws RangeError
   * when those do not fit in `buffer`.
   */
  constructor(capacity: number = LinePolygon.CAPACITY, buffer?: Float64Array, at = 0) {
    this.capacity = capacity;
    this.#b = buffer ?? new Float64Array(2 * capacity);
    this.#at = at;
    this.#scratch = scratchFor(capacity);
    if (at + 2 * capacity > this.#b.length) throw new RangeError(`LinePolygon: ${capacity} vertices at ${at} do not fit in ${this.#b.length} numbers`);
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
    const b = this.#b;
    const s = this.#at;
    const v = s + this.capacity;
    b[s] = (ylo - lo) / d;
    b[v] = lo;
    b[s + 1] = (yhi - lo) / d;
    b[v + 1] = lo;
    this.#n = 2;
    if (lo === hi) return;
    b[s + 2] = (yhi - hi) / d;
    b[v + 2] = hi;
    b[s + 3] = (ylo - hi) / d;
    b[v + 3] = hi;
    this.#n = 4;
  }

  /** Copies another polygon (of at most this one's capacity) into this one. */
  copy(from: LinePolygon): void {
    const n = (this.#n = from.#n);
    const b = this.#b;
    const s = this.#at;
    const v = s + this.capacity;
    const fb = from.#b;
    const fs = from.#at;
    const fv = fs + from.capacity;
    if (fb === b) {
      // In a shared buffer: natively, and without allocating views.
      b.copyWithin(s, fs, fs + n);
      b.copyWithin(v, fv, fv + n);
      return;
    }
    for (let i = 0; i < n; i++) {
      b[s + i] = fb[fs + i];
      b[v + i] = fb[fv + i];
    }
  }

  /**
   * Keeps the lines with `v + s·d ≤ c` (`upper`) or `≥ c` (lower), a point
   * within `tolerance` of the edge counting as inside. False when the
   * polygon became empty or would exceed its capacity (it is then unusable).
   */
  clip(d: number, c: number, upper: boolean, tolerance: number): boolean {
    const n = this.#n;
    const b = this.#b;
    const s = this.#at;
    const v = s + this.capacity;
    const sign = upper ? 1 : -1;
    let m = 0;
    for (let i = 0; i < n; i++) {
      const j = i + 1 === n ? 0 : i + 1;
      const fp = sign * (b[v + i] + b[s + i] * d - c);
      const fq = sign * (b[v + j] + b[s + j] * d - c);
      const inP = fp <= tolerance;
      const inQ = fq <= tolerance;
      if (inP) m = this.put(m, b[s + i], b[v + i]);
      if (inP !== inQ && m >= 0) {
        const t = fp / (fp - fq);
        m = this.put(m, b[s + i] + t * (b[s + j] - b[s + i]), b[v + i] + t * (b[v + j] - b[v + i]));
      }
      if (m < 0) {
        this.#n = 0;
        return false;
      }
    }
    this.#n = m;
    const t = this.#scratch;
    const tv = this.capacity;
    for (let i = 0; i < m; i++) {
      b[s + i] = t[i];
      b[v + i] = t[tv + i];
    }
    return m > 0;
  }

  /** Lowest and highest `v + s·d` over the polygon (the values its lines reach at d). */
  reach(d: number): [number, number] {
    const b = this.#b;
    const s = this.#at;
    const v = s + this.capacity;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < this.#n; i++) {
      const y = b[v + i] + b[s + i] * d;
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
    const b = this.#b;
    const s = this.#at;
    const v = s + this.capacity;
    let lo = Infinity;
    let hi = -Infinity;
    const n = this.#n;
    for (let i = 0; i < n; i++) {
      const j = i + 1 === n ? 0 : i + 1;
      const fi = b[v + i] + b[s + i] * d - w;
      const fj = b[v + j] + b[s + j] * d - w;
      if (fi === 0) {
        if (b[s + i] < lo) lo = b[s + i];
        if (b[s + i] > hi) hi = b[s + i];
      }
      if ((fi < 0 && fj > 0) || (fi > 0 && fj < 0)) {
        const slope = b[s + i] + (fi / (fi - fj)) * (b[s + j] - b[s + i]);
        if (slope < lo) lo = slope;
        if (slope > hi) hi = slope;
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
    const slack = 1e-9 * (this.slopeSpan() + 1e-300);
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
    const buffer = this.#b;
    const s = this.#at;
    const v = s + this.capacity;
    for (let i = 0; i < this.#n; i++) {
      const w = buffer[v + i] + buffer[s + i] * d;
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

  // Helpers are TypeScript-private, not #private: XS gives every instance a slot per #method (the ESP32's fixed slot heap).
  /** Range of slopes over the vertices (a scale for tolerances). */
  private slopeSpan(): number {
    let lo = Infinity;
    let hi = -Infinity;
    const b = this.#b;
    const s = this.#at;
    for (let i = 0; i < this.#n; i++) {
      if (b[s + i] < lo) lo = b[s + i];
      if (b[s + i] > hi) hi = b[s + i];
    }
    return hi - lo;
  }

  /** Appends vertex (s, v) to the scratch at m unless it repeats the last one; -1 beyond capacity. */
  private put(m: number, s: number, v: number): number {
    const t = this.#scratch;
    const tv = this.capacity;
    if (m > 0 && t[m - 1] === s && t[tv + m - 1] === v) return m;
    if (m >= this.capacity) return -1;
    t[m] = s;
    t[tv + m] = v;
    return m + 1;
  }
}

/** The scratch of every polygon of up to CAPACITY vertices, made on first use (not at preload, which would put it in flash). */
let shared: Float64Array | undefined;

/**
 * A clip's scratch for a polygon of `capacity` vertices: for up to
 * CAPACITY, one shared by all (a clip fills and reads it within one call,
 * so polygons never see each other's; one scratch for every compress
 * channel saves 320 B of the ESP32's chunk heap per channel), else its own.
 */
function scratchFor(capacity: number): Float64Array {
  if (capacity > LinePolygon.CAPACITY) return new Float64Array(2 * capacity);
  shared ??= new Float64Array(2 * LinePolygon.CAPACITY);
  return shared;
}
