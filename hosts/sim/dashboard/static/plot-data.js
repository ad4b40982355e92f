// fieldnode dashboard: one channel's points as uPlot data. Plain ES module (no build step), also imported by the tests.

/**
 * Aligns a channel's raw, filtered and reported points ([time s, value or null
 * when bad, quality or null]) on one time axis for uPlot: series raw,
 * filtered, reported, reported + e, reported - e. A missing point is
 * `undefined` (uPlot draws across it), a bad one `null` (the line breaks there,
 * as the reconstruction rule says: never interpolate across a bad record).
 * The band is the reported line, interpolated linearly by time, ± e (the
 * channel's compress bound from the birth); `outside` counts the filtered
 * points farther than e from it (`checked`: those the line covers), beyond
 * the rounding of reported values to the 6 significant digits telemetry carries.
 */
export function plotData(raw, filtered, reported, e) {
  const times = new Set();
  for (const list of [raw, filtered, reported]) for (const p of list) times.add(p[0]);
  const xs = [...times].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const column = (list) => {
    const out = new Array(xs.length).fill(undefined);
    for (const [t, v] of list) out[index.get(t)] = v;
    return out;
  };
  const hi = new Array(xs.length).fill(null);
  const lo = new Array(xs.length).fill(null);
  const line = [...reported].sort((a, b) => a[0] - b[0]);
  const at = new Array(xs.length).fill(undefined);
  let segment = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    while (segment + 1 < line.length && line[segment + 1][0] < x) segment++;
    const a = line[segment];
    const b = line[segment + 1];
    let v;
    if (a && a[0] === x && a[1] !== null) v = a[1];
    else if (b && b[0] === x && b[1] !== null) v = b[1];
    else if (a && b && a[0] <= x && x <= b[0] && a[1] !== null && b[1] !== null) v = b[0] === a[0] ? b[1] : a[1] + ((b[1] - a[1]) * (x - a[0])) / (b[0] - a[0]);
    at[i] = v;
    if (v !== undefined && typeof e === "number") {
      hi[i] = v + e;
      lo[i] = v - e;
    }
  }
  let outside = 0;
  let checked = 0;
  if (typeof e === "number") {
    for (const [t, v] of filtered) {
      const line = at[index.get(t)];
      if (v === null || line === undefined) continue;
      checked++;
      if (Math.abs(v - line) > e * (1 + 1e-9) + 5e-6 * Math.abs(line) + 1e-12) outside++;
    }
  }
  return { data: [xs, column(raw), column(filtered), column(reported), hi, lo], outside, checked };
}

/** The latest quality of a list of points: "good", or "bad:<reason>" / "uncertain:<reason>". */
export function latestQuality(list) {
  const last = list[list.length - 1];
  return last ? last[2] || "good" : "";
}
