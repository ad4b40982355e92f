import type { Reading } from "../io/reading.js";

/**
 * What readings share in a run (a channel's consecutive readings of one
 * unit, quality, reason and tolerance): everything of a `Reading` but its
 * time and value. `reason` is set unless quality is good.
 */
export type ReadingMeta = Pick<Reading, "channel" | "unit" | "quality" | "reason" | "tolerance">;

/**
 * Readings by row, as the pack encoder and the PackMaker read them
 * (telemetry-pack.ts, pack-maker.ts), without an object per reading: the
 * Batcher's waiting readings are columns (channel-columns.ts, joined in
 * joined-rows.ts). A view: valid until its owner changes it (the Batcher's
 * rows until `onBatch` returns).
 */
export interface ReadingRows {
  readonly length: number;
  /**
   * The same number for as long as the rows only grow at the end (rows
   * 0..length-1 unchanged), or take back what they added after the
   * PackMaker's `fits` said no to it; a new number otherwise. The
   * PackMaker's incremental size check keys on it.
   */
  readonly serial: number;
  /** Monotonic ms when row `i` was sampled. */
  time(i: number): number;
  /** Row `i`'s value (NaN for a bad reading, which has none). */
  value(i: number): number;
  /** Row `i`'s channel, unit, quality, reason and tolerance (shared by its run: do not change it). */
  meta(i: number): ReadingMeta;
}
