import { Compress, COMPRESS_DEFAULT_MAX_S } from "./compress.js";
import type { Sample } from "./filter.js";

/**
 * Share of e that telemetry may use to encode a compress point shorter
 * (1/64): the points are found at e × (1 − 1/64) and may then move by up to
 * e / 64, so every sample still lies within e of the reported series. 1/64
 * lets a point's offset from its channel's base value take a float16 (3
 * bytes) anywhere within 1.6 × the channel's range when e is 5 % of it.
 */
export const REPORT_SHARE = 1 / 64;

/**
 * `compress(e[, max_s])` as the chain builds it: `Compress` run at the
 * bound e × (1 − REPORT_SHARE), whose points carry `tolerance` e ×
 * REPORT_SHARE, so the telemetry pack may send each as the shortest exact
 * number within it (modules/telemetry/report-value.ts) and the strict bound
 * e still holds for what a receiver reads. `e` is the configured bound (the
 * one the birth publishes). Readings that pass through unchanged (bad,
 * not finite) get no tolerance. Throws RangeError as `Compress` does.
 *
 * The tolerance is added where `Compress` makes a point, not by wrapping
 * each `emit` in a closure: a closure costs about 11 slots of the ESP32's
 * fixed XS slot heap, and a node runs a stage per channel.
 */
export class ReportedCompress extends Compress {
  /** How far telemetry may move each reported point (e × REPORT_SHARE). */
  readonly tolerance: number;

  constructor(e: number, maxS = COMPRESS_DEFAULT_MAX_S) {
    // A bad e goes to Compress as it is, for its RangeError to name it.
    super(e > 0 && Number.isFinite(e) ? e * (1 - REPORT_SHARE) : e, maxS);
    // The configured bound, as published (Compress keeps the inner one in its private state).
    (this as { e: number }).e = e;
    this.tolerance = e * REPORT_SHARE;
  }

  /** Compress's point with the tolerance, when its value is finite. */
  protected override point(value: number, at: number): Sample {
    const point = super.point(value, at);
    return point.quality !== "bad" && Number.isFinite(point.value) ? { ...point, tolerance: this.tolerance } : point;
  }
}
