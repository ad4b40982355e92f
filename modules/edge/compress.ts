import type { Quality } from "../io/quality.js";
import type { Emit, Filter, Sample } from "./filter.js";
import { LinePolygon } from "./line-polygon.js";

/** Default bound on the delay before a sample is covered by reported points (s). */
export const COMPRESS_DEFAULT_MAX_S = 600;

/** Candidate joint times between two segments: this many steps across the interval between them. */
const JOINT_STEPS = 4;
/** Samples on each side of a break where a joint is also tried. */
const OVERLAP = 8;
/** A shortened segment must keep at least this share of the samples (see `shorten`). */
const SHORTEN_KEEP = 0.5;
/**
 * Recent samples kept for the joint search and for shortening a segment
 * (only a segment whose samples are all still here can be shortened): 1 kB.
 * 128 compresses smooth signals a little better (sine + noise: 1.42 instead
 * of 1.58 × the floor) for twice the memory.
 */
const RING = 64;

/**
 * Layout of a stage's one Float64Array (numbers): three polygons' vertices,
 * then the ring's times and values (the clip's scratch is LinePolygon's,
 * shared by all stages). One buffer rather than nine typed arrays because
 * each typed array costs about 7 slots of the ESP32's fixed XS slot heap,
 * and a node runs a stage per channel.
 */
const POLYGON = 2 * LinePolygon.CAPACITY;
const RING_AT = 3 * POLYGON;
const RING_VALUE_AT = RING_AT + RING;
const BUFFER = RING_VALUE_AT + RING;

/** Counters of one compress stage. */
export interface CompressStats {
  /** Readings dropped because their time was not after the previous one's. */
  outOfOrder: number;
  /** Segments ended early: max_s reached, polygon bound, sync (heartbeat), gap or quality change. */
  forced: number;
  /** Breaks between segments where no joint fitted and two points were reported. */
  jumps: number;
}

/**
 * `compress(e[, max_s])`: reports a piecewise-linear series such that every
 * sample that entered the stage lies within `e` of the reported points,
 * linearly interpolated between them (the strict bound), with few points.
 *
 * Online and exact: the open segment's feasible lines are kept as a polygon
 * (`LinePolygon`) clipped by each sample's band [y − e, y + e]; a sample that
 * leaves it empty starts the next segment, free, as the floor does. The
 * previous segment is anchored (a reported point and the interval of slopes
 * through it that fit its samples); when the open one ends, the two are
 * joined at a point where a line of each meets: any value, at a time across
 * the interval between them or at one of the samples next to it (the
 * other segment's lines must then fit the samples it takes over), chosen to
 * leave the widest slope interval: one point per segment. When none meets,
 * a shorter open segment (at least half its samples, all still among the
 * last RING) that does meet is taken, and its remaining samples are
 * compressed again; failing that, two points are reported (a jump: the end
 * of one and the start of the other). So a point is reported one to two
 * segments after the samples it covers; `max_s` (default 600 s) bounds that
 * delay: when the oldest sample not yet covered is older than `max_s`, the
 * open segment is closed with its end point and the next starts from it.
 *
 * Segments also end with their end point at a bad or non-finite reading
 * (which passes through unchanged; the next good one starts afresh), at a
 * quality change (good ↔ uncertain: uncertain readings are compressed among
 * themselves and keep their quality), at a gap (a reading more than 4 × the
 * previous interval, or `max_s`, after the previous one), at `sync` (a
 * heartbeat) and at `flush`. A reading not later than the previous one is
 * dropped and counted (`stats.outOfOrder`). A point carries the fields of
 * the first reading of its segment (channel, unit, quality, reason) with its
 * own value and time. Memory, fixed at construction: one Float64Array with
 * three polygons of `LinePolygon.CAPACITY` vertices (more vertices end the
 * segment) and the last RING samples, about 2 kB. Throws RangeError for e
 * or max_s not a finite number above 0; never throws from push/flush/sync.
 *
 * On the SKAB recordings at e = 5 % of the range it reports 1.03–1.08 ×
 * the exact fewest points of any linear reduction; an online version of
 * that exact method (window propagation over a block of samples, with path
 * recovery) comes to 1.00–1.03 × in the bench (test/bench/compression-online.ts)
 * but needs tens of kB per channel as built there and does worse on long
 * smooth links: docs/edge.md.
 */
export class Compress implements Filter {
  readonly e: number;
  readonly maxS: number;
  readonly stats: CompressStats = { outOfOrder: 0, forced: 0, jumps: 0 };
  /** The bound used inside, a hair tighter than e so float rounding never exceeds e. */
  #inner: number;
  #tolerance: number;

  /** The anchored previous segment: reported point (at, value), its slopes, its last sample's time. */
  #anchored = false;
  #anchorAt = 0;
  #anchorValue = 0;
  #slopeLo = 0;
  #slopeHi = 0;
  #anchorLast = 0;

  /** The open segment: 0 none, 1 its first sample only (or a reported start), 2 polygon. */
  #open = 0;
  /** Polygons and ring, in one buffer (see BUFFER). */
  #buffer = new Float64Array(BUFFER);
  #poly = new LinePolygon(LinePolygon.CAPACITY, this.#buffer, 0);
  #trial = new LinePolygon(LinePolygon.CAPACITY, this.#buffer, POLYGON);
  #tail = new LinePolygon(LinePolygon.CAPACITY, this.#buffer, 2 * POLYGON);
  #ringNext = 0;
  #ringCount = 0;
  /** Samples to compress again after a shortened segment (at most RING + 1), as time, value, time, value… (one array: fewer slots). */
  #replay: number[] = [];
  /** Origin time of the polygon (ms): the first sample, or the reported start point when `#fixed`. */
  #origin = 0;
  #fixed = false;
  #firstValue = 0;
  #last = 0;
  #interval = 0;
  /** The oldest time whose samples are not yet covered by reported points. */
  #uncovered = 0;
  #quality: Quality = "good";
  #template: Sample = { value: 0, at: 0 };

  constructor(e: number, maxS = COMPRESS_DEFAULT_MAX_S) {
    if (!(e > 0) || !Number.isFinite(e)) throw new RangeError(`compress: e must be a finite number above 0, got ${e}`);
    if (!(maxS > 0) || !Number.isFinite(maxS)) throw new RangeError(`compress: max_s must be a finite number above 0, got ${maxS}`);
    this.e = e;
    this.maxS = maxS;
    this.#inner = e * (1 - 1e-9);
    this.#tolerance = e * 1e-9;
  }

  push(sample: Sample, emit: Emit): void {
    const at = sample.at;
    if (!Number.isFinite(at) || (this.#open !== 0 && at <= this.#last)) {
      this.stats.outOfOrder++;
      return;
    }
    const quality = sample.quality ?? "good";
    if (quality === "bad" || !Number.isFinite(sample.value)) {
      this.close(emit, false);
      emit(sample);
      return;
    }
    if (this.#open !== 0) {
      const dt = at - this.#last;
      const maxMs = this.maxS * 1000; // derived, not a field: a slot per channel on the ESP32
      const gap = dt > maxMs || (this.#interval > 0 && dt > 4 * this.#interval);
      if (quality !== this.#quality || gap) {
        this.stats.forced++;
        this.close(emit, false);
      } else if (at - this.#uncovered > maxMs) {
        this.stats.forced++;
        this.close(emit, true);
      }
    }
    this.add(sample, quality, emit, true);
    // Samples a shortened segment gave back are compressed again, here and not recursively (XS stacks are small).
    while (this.#replay.length > 0) {
      const at = this.#replay.shift()!;
      const value = this.#replay.shift()!;
      this.add({ ...this.#template, value, at }, quality, emit, false);
    }
  }

  flush(emit: Emit): void {
    this.close(emit, false);
  }

  sync(emit: Emit): void {
    if (this.#open === 0 || (this.#open === 1 && this.#fixed)) return;
    this.stats.forced++;
    this.close(emit, true);
  }

  // Helpers are TypeScript-private, not #private: XS gives every instance a slot per #method (the ESP32's fixed slot heap).
  private add(sample: Sample, quality: Quality, emit: Emit, remember = true): void {
    const y = sample.value;
    const at = sample.at;
    if (remember) this.remember(at, y);
    if (this.#open === 0) {
      this.begin(sample, quality);
      this.#uncovered = at;
      return;
    }
    this.#interval = at - this.#last;
    const d = (at - this.#origin) / 1000;
    if (this.#open === 1) {
      const lo = this.#fixed ? this.#firstValue : this.#firstValue - this.#inner;
      const hi = this.#fixed ? this.#firstValue : this.#firstValue + this.#inner;
      this.#poly.start(lo, hi, d, y - this.#inner, y + this.#inner);
      this.#open = 2;
      this.#last = at;
      return;
    }
    this.#trial.copy(this.#poly);
    const fits =
      this.#trial.clip(d, y + this.#inner, true, this.#tolerance) &&
      this.#trial.clip(d, y - this.#inner, false, this.#tolerance) &&
      this.#trial.size <= LinePolygon.MAX_VERTICES;
    if (fits) {
      const kept = this.#poly;
      this.#poly = this.#trial;
      this.#trial = kept;
      this.#last = at;
      return;
    }
    if (this.#trial.size > LinePolygon.MAX_VERTICES) this.stats.forced++;
    else if (this.shorten(sample, quality, emit)) return;
    this.anchorOpen(emit);
    // Covered now: everything up to the reported point (a joint may lie inside the previous segment).
    this.#uncovered = Math.min(this.#anchorAt, this.#last);
    this.begin(sample, quality);
  }

  /** Opens a free segment at `sample`. */
  private begin(sample: Sample, quality: Quality): void {
    this.#open = 1;
    this.#fixed = false;
    this.#origin = this.#last = sample.at;
    this.#firstValue = sample.value;
    this.#interval = 0;
    this.#quality = quality;
    this.#template = sample;
  }

  /**
   * Turns the open segment (with a polygon) into the anchored one: joins it
   * to the anchored previous segment (one point, or two at a jump), or, with
   * none, reports its start.
   */
  private anchorOpen(emit: Emit): void {
    const poly = this.#poly;
    let anchor: [number, number, number, number] | undefined; // at, value, slope lo, slope hi
    if (this.#fixed) {
      const slopes = poly.through(0, this.#firstValue) ?? [0, 0];
      anchor = [this.#origin, this.#firstValue, slopes[0], slopes[1]];
    } else if (this.#anchored) {
      anchor = this.joint(this.#poly, this.#last);
      if (anchor) emit(this.point(anchor[1], anchor[0]));
      else {
        this.stats.jumps++;
        this.reportAnchoredEnd(emit);
      }
    }
    if (!anchor) {
      const start = poly.widestThrough(0, -Infinity, Infinity) ?? [this.#firstValue, 0, 0];
      anchor = [this.#origin, start[0], start[1], start[2]];
      emit(this.point(anchor[1], anchor[0]));
    }
    this.#anchored = true;
    [this.#anchorAt, this.#anchorValue, this.#slopeLo, this.#slopeHi] = anchor;
    this.#anchorLast = this.#last;
    this.#open = 0;
  }

  /**
   * The best joint of the anchored segment and the open one's polygon:
   * [at, value, slope lo, slope hi] of the open segment through it. Tried:
   * times across the interval between them, the anchored segment's last
   * samples (the open segment's lines must then also fit the samples after
   * the joint) and the open segment's first samples (the anchored slopes must
   * then also fit the samples before it); the widest slope interval wins.
   */
  private joint(poly: LinePolygon, last: number): [number, number, number, number] | undefined {
    let best: [number, number, number, number] | undefined;
    const consider = (at: number, target: LinePolygon, slo: number, shi: number, band: number | undefined) => {
      const dp = (at - this.#anchorAt) / 1000;
      let lo = this.#anchorValue + slo * dp;
      let hi = this.#anchorValue + shi * dp;
      if (band !== undefined) {
        lo = Math.max(lo, band - this.#inner);
        hi = Math.min(hi, band + this.#inner);
      }
      const found = target.widestThrough((at - this.#origin) / 1000, lo, hi);
      if (found && (!best || found[2] - found[1] > best[3] - best[2])) best = [at, found[0], found[1], found[2]];
    };
    const from = this.#anchorLast;
    const to = this.#origin;
    for (let i = 0; i <= JOINT_STEPS; i++) consider(i === JOINT_STEPS ? to : from + ((to - from) * i) / JOINT_STEPS, poly, this.#slopeLo, this.#slopeHi, undefined);
    // Earlier: at the anchored segment's last samples, newest first.
    this.#tail.copy(poly);
    let tried = 0;
    for (let k = 0; k < this.#ringCount && tried < OVERLAP; k++) {
      const i = (this.#ringNext - 1 - k + RING) % RING;
      const at = this.#buffer[RING_AT + i];
      if (at > from) continue;
      if (at <= this.#anchorAt) break;
      const y = this.#buffer[RING_VALUE_AT + i];
      if (at < from) consider(at, this.#tail, this.#slopeLo, this.#slopeHi, y);
      tried++;
      const d = (at - this.#origin) / 1000;
      if (!this.#tail.clip(d, y + this.#inner, true, this.#tolerance) || !this.#tail.clip(d, y - this.#inner, false, this.#tolerance)) break;
    }
    // Later: at the open segment's first samples, oldest first.
    let first = -1;
    for (let k = 0; k < this.#ringCount; k++) {
      const i = (this.#ringNext - 1 - k + RING) % RING;
      if (this.#buffer[RING_AT + i] < to) break;
      if (this.#buffer[RING_AT + i] === to) first = k;
    }
    let slo = this.#slopeLo;
    let shi = this.#slopeHi;
    for (let k = first; k >= 0 && first - k <= OVERLAP; k--) {
      const i = (this.#ringNext - 1 - k + RING) % RING;
      const at = this.#buffer[RING_AT + i];
      if (at > last) break;
      const y = this.#buffer[RING_VALUE_AT + i];
      if (at > to) consider(at, poly, slo, shi, y);
      const dp = (at - this.#anchorAt) / 1000;
      slo = Math.max(slo, (y - this.#inner - this.#anchorValue) / dp);
      shi = Math.min(shi, (y + this.#inner - this.#anchorValue) / dp);
      if (slo > shi) break;
    }
    return best;
  }

  /**
   * Lookahead at a break where the open segment cannot be joined to the
   * anchored one (a jump would cost two points): a shorter open segment has
   * more lines and may join. When one of at least SHORTEN_KEEP of the length
   * joins, it is taken (one point) and the samples after it are compressed
   * again as the next segment. True when it did so (and handled `sample`).
   */
  private shorten(sample: Sample, quality: Quality, emit: Emit): boolean {
    if (this.#fixed || !this.#anchored || this.joint(this.#poly, this.#last)) return false;
    const times: number[] = [];
    const values: number[] = [];
    for (let k = this.#ringCount - 1; k >= 0; k--) {
      const i = (this.#ringNext - 1 - k + RING) % RING;
      const at = this.#buffer[RING_AT + i];
      if (at >= this.#origin && at <= this.#last) {
        times.push(at);
        values.push(this.#buffer[RING_VALUE_AT + i]);
      }
    }
    const count = times.length;
    if (count < 3 || times[0] !== this.#origin) return false;
    let keep = 0;
    const prefix = this.#trial;
    const band = this.#inner;
    for (let n = 2; n < count; n++) {
      const d = (times[n - 1] - this.#origin) / 1000;
      if (n === 2) prefix.start(values[0] - band, values[0] + band, d, values[1] - band, values[1] + band);
      else if (!prefix.clip(d, values[n - 1] + band, true, this.#tolerance) || !prefix.clip(d, values[n - 1] - band, false, this.#tolerance)) break;
      if (!this.joint(prefix, times[n - 1])) break;
      keep = n;
    }
    if (keep < SHORTEN_KEEP * count) return false;
    // Rebuild the kept prefix as the open segment, join it, then compress the rest again.
    this.#poly.start(values[0] - band, values[0] + band, (times[1] - this.#origin) / 1000, values[1] - band, values[1] + band);
    for (let n = 2; n < keep; n++) {
      const d = (times[n] - this.#origin) / 1000;
      this.#poly.clip(d, values[n] + band, true, this.#tolerance);
      this.#poly.clip(d, values[n] - band, false, this.#tolerance);
    }
    this.#last = times[keep - 1];
    this.anchorOpen(emit);
    this.#uncovered = Math.min(this.#anchorAt, this.#last);
    this.begin({ ...this.#template, value: values[keep], at: times[keep] }, quality);
    // The rest again, before what was still waiting: [keep + 1, count) and then `sample`.
    const rest: number[] = [];
    for (let n = keep + 1; n < count; n++) rest.push(times[n], values[n]);
    rest.push(sample.at, sample.value);
    this.#replay.unshift(...rest);
    return true;
  }

  private remember(at: number, value: number): void {
    this.#buffer[RING_AT + this.#ringNext] = at;
    this.#buffer[RING_VALUE_AT + this.#ringNext] = value;
    this.#ringNext = (this.#ringNext + 1) % RING;
    if (this.#ringCount < RING) this.#ringCount++;
  }

  /** Reports the anchored segment's end (at its last sample, on its middle slope), forgets it, returns that point. */
  private reportAnchoredEnd(emit: Emit): [number, number] {
    if (this.#anchored && this.#anchorLast > this.#anchorAt) {
      const value = this.#anchorValue + ((this.#slopeLo + this.#slopeHi) / 2) * ((this.#anchorLast - this.#anchorAt) / 1000);
      emit(this.point(value, this.#anchorLast));
      this.#anchorValue = value;
      this.#anchorAt = this.#anchorLast;
    }
    this.#anchored = false;
    return [this.#anchorAt, this.#anchorValue];
  }

  /** Ends everything with reported points; `keep`: a new segment starts at the last point reported. */
  private close(emit: Emit, keep: boolean): void {
    let final: [number, number] | undefined; // at, value of the last point reported
    if (this.#open === 2) {
      this.anchorOpen(emit);
      final = this.reportAnchoredEnd(emit);
    } else if (this.#open === 1 && this.#fixed) {
      final = [this.#origin, this.#firstValue];
    } else if (this.#open === 1) {
      // One sample after the anchored segment (or alone): a joint at that sample, or its own point.
      const y = this.#firstValue;
      let value = y;
      if (this.#anchored) {
        const dp = (this.#origin - this.#anchorAt) / 1000;
        const lo = Math.max(y - this.#inner, this.#anchorValue + this.#slopeLo * dp);
        const hi = Math.min(y + this.#inner, this.#anchorValue + this.#slopeHi * dp);
        if (lo <= hi) {
          value = (lo + hi) / 2;
          this.#anchored = false;
        } else {
          this.stats.jumps++;
          this.reportAnchoredEnd(emit);
        }
      }
      emit(this.point(value, this.#origin));
      final = [this.#origin, value];
    }
    this.#anchored = false;
    if (keep && final) {
      this.#open = 1;
      this.#fixed = true;
      this.#origin = this.#last = this.#uncovered = final[0];
      this.#firstValue = final[1];
    } else this.#open = 0;
  }

  /** A reported point: the fields of its segment's first reading with `value` and `at` (a subclass may add to it). */
  protected point(value: number, at: number): Sample {
    return { ...this.#template, value, at };
  }
}
