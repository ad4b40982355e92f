import type { Filter, Sample } from "../../modules/edge/filter.js";
import type { Quality } from "../../modules/io/quality.js";

/** An input row: [value, at ms, quality?]. */
export type In = [number, number, Quality?];
/** An output row: [value, at ms] for good, [value, at ms, quality] otherwise. */
export type Out = [number, number] | [number, number, Quality];

/** Pushes `inputs` through `filter` (then flushes when `flush`) and returns the outputs as rows. */
export function runFilter(filter: Filter, inputs: readonly In[], flush = false): Out[] {
  const out: Out[] = [];
  const emit = (s: Sample) => out.push(s.quality && s.quality !== "good" ? [s.value, s.at, s.quality] : [s.value, s.at]);
  for (const [value, at, quality] of inputs) filter.push(quality ? { value, at, quality } : { value, at }, emit);
  if (flush) filter.flush(emit);
  return out;
}
