/**
 * Chains and inputs run both on Node and inside XS (test/xs/edge.test.ts):
 * every filter, the example chain, bad qualities and NaN, and a
 * seeded noisy signal for compress.
 */
import type { Quality } from "../../../modules/io/quality.js";
import { seededRandom } from "../../helpers/seeded-random.js";

/** An input row: [value, at ms, quality?]. */
export type Row = [number, number, Quality?];

/** A seeded random walk with noise, steps and a few bad / uncertain / NaN readings. */
export function edgeSignal(seed: number, length: number): Row[] {
  const random = seededRandom(seed);
  const rows: Row[] = [];
  let level = 20;
  for (let i = 0; i < length; i++) {
    level += (random() - 0.5) * 0.4 + (random() < 0.02 ? (random() - 0.5) * 10 : 0);
    const r = random();
    if (r < 0.01) rows.push([level, i * 1000, "bad"]);
    else if (r < 0.015) rows.push([Number.NaN, i * 1000]);
    else if (r < 0.03) rows.push([level, i * 1000, "uncertain"]);
    else rows.push([level + (random() - 0.5) * 0.3, i * 1000]);
  }
  return rows;
}

/** Chains run on both engines over `edgeSignal`. */
export const EDGE_CHAINS: readonly string[] = Object.freeze([
  "",
  "median(5) | calibrate(1.02, -0.4) | ema(0.2) | compress(0.05) | heartbeat(300)",
  "mean(4) | clamp(10, 30) | deadband(0.5) | heartbeat(20)",
  "calibrate2(4, 0, 20, 100) | deadband(2%) | throttle(5)",
  "rate_limit(0.5) | rate | compress(0.01, 30)",
  "compress(0.2)",
  "compress(0.1, 60) | heartbeat(15)",
]);

/** Texts the parser refuses (with a column and a reason) or accepts, on both engines. */
export const PARSE_TEXTS: readonly string[] = Object.freeze([
  "medain(5)",
  "median(5, 2)",
  "median(0)",
  "ema(NaN)",
  "compress(1e999)",
  "median(5) | | ema(1)",
  "clamp(3, 1)",
  "deadband(5%) | compress(0.1, 600)",
  "median(\u0007)",
]);
