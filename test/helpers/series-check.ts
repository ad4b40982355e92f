/**
 * An independent checker of the strict bound: interpolates the reported
 * points linearly (by time) and measures each input sample's distance to
 * that line. Written without any of the compressor's code.
 */
export interface Point {
  at: number;
  value: number;
}

/** Errors of a reconstruction: max and RMS |sample − interpolation|, and samples outside the reported time span. */
export interface SeriesError {
  max: number;
  rms: number;
  uncovered: number;
}

/** Reconstruction error of `samples` by `points` (both sorted by time; points may share a time only when equal in value). */
export function seriesError(samples: readonly Point[], points: readonly Point[]): SeriesError {
  let max = 0;
  let squares = 0;
  let uncovered = 0;
  let j = 0;
  for (const sample of samples) {
    while (j + 1 < points.length && points[j + 1].at < sample.at) j++;
    const a = points[j];
    const b = points[j + 1];
    let value: number;
    if (a && a.at === sample.at) value = a.value;
    else if (b && b.at === sample.at) value = b.value;
    else if (a && b && a.at < sample.at && sample.at < b.at) value = a.value + ((b.value - a.value) * (sample.at - a.at)) / (b.at - a.at);
    else {
      uncovered++;
      max = Infinity;
      continue;
    }
    const error = Math.abs(sample.value - value);
    if (error > max) max = error;
    squares += error * error;
  }
  return { max, rms: samples.length ? Math.sqrt(squares / samples.length) : 0, uncovered };
}
