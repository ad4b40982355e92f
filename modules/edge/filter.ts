/**
 * The shape every edge filter shares (issue 12, item 1): a small object that
 * takes one reading at a time and hands zero or more readings on.
 *
 * Time is the reading's own `at` (monotonic ms, the injected clock): no
 * filter reads a global clock, so a replayed recording or the virtual clock of
 * the tests drive them exactly like the board's timer does.
 */
import type { Quality } from "../io/quality.js";

/**
 * What flows through a filter: the part of `modules/io/channels.ts`
 * `Reading` the filters need, so that a channel reading (with its channel
 * name, unit, quality and reason) is accepted as it is.
 */
export interface Sample {
  value: number;
  /** Monotonic ms when sampled. */
  at: number;
  quality?: Quality;
  reason?: string;
  /**
   * How far telemetry may move the value to encode it shorter: set on
   * compress points (reported-compress.ts), dropped by any stage that
   * changes the value (`withValue`).
   */
  tolerance?: number;
}

/** Where a filter hands its output. */
export type Emit = (sample: Sample) => void;

/**
 * One stage of a chain. `push` takes a reading and emits zero, one or two
 * readings (a compressor reports the points it decided on); `flush` emits
 * whatever the stage still holds (at stop) and resets it; the optional
 * `sync` reports what the stage holds back without resetting its purpose
 * (a heartbeat asks for it). A filter never throws from these methods.
 */
export interface Filter {
  push(sample: Sample, emit: Emit): void;
  flush(emit: Emit): void;
  sync?(emit: Emit): void;
  /** A heartbeat stage: true when the chain must sync the stages before it at time `now`. */
  due?(now: number): boolean;
}

/**
 * True when the reading may enter a filter's state: good (or unstamped)
 * quality and a finite value. Anything else passes a filter unchanged and
 * (for filters with state) resets it, so a fault is never smoothed into good
 * values.
 */
export function usable(sample: Sample): boolean {
  return (sample.quality === undefined || sample.quality === "good") && Number.isFinite(sample.value);
}

/** The reading with a new value, keeping its time, quality and reason (not a compress point's tolerance: that was for the old value). */
export function withValue(sample: Sample, value: number): Sample {
  const { tolerance: _tolerance, ...rest } = sample;
  return { ...rest, value };
}
