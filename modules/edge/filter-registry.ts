import { Calibrate } from "./calibrate.js";
import { Clamp } from "./clamp.js";
import { COMPRESS_DEFAULT_MAX_S } from "./compress.js";
import { ReportedCompress } from "./reported-compress.js";
import { Deadband } from "./deadband.js";
import { Ema } from "./ema.js";
import type { Filter } from "./filter.js";
import { Heartbeat } from "./heartbeat.js";
import { Mean } from "./mean.js";
import { Median } from "./median.js";
import { MAX_WINDOW } from "./sliding-window.js";
import { Rate } from "./rate.js";
import { RateLimit } from "./rate-limit.js";
import { Throttle } from "./throttle.js";

/** Longest time argument (s) of throttle, heartbeat and compress's max_s: one day. */
export const MAX_SECONDS = 86_400;

/** One argument of a filter: its name and its rule (a reason when the value breaks it). */
export interface ArgSpec {
  name: string;
  check(value: number, percent: boolean): string | undefined;
}

/** A filter the chain text may name: its arguments (the first `required` of them needed) and its factory. */
export interface FilterSpec {
  args: readonly ArgSpec[];
  required: number;
  /** Index of the argument that may be written as a percentage (`5%`). */
  percentArg?: number;
  /**
   * Builds the filter from checked arguments. Throws RangeError (message
   * names the filter and the values) when the arguments break a rule that
   * involves several of them, e.g. clamp's lo < hi.
   */
  create(args: readonly number[], percent: boolean): Filter;
}

const integer = (name: string, lo: number, hi: number): ArgSpec => ({
  name,
  check: (v) => (Number.isInteger(v) && v >= lo && v <= hi ? undefined : `${name} must be an integer from ${lo} to ${hi}, got ${v}`),
});
const above = (name: string, lo: number, hi: number): ArgSpec => ({
  name,
  check: (v) => (v > lo && v <= hi ? undefined : `${name} must be above ${lo} and at most ${hi}, got ${v}`),
});
const any = (name: string): ArgSpec => ({ name, check: () => undefined });
const band: ArgSpec = {
  name: "band",
  check: (v, percent) => (v >= 0 && (!percent || v <= 1000) ? undefined : `band must be at least 0${percent ? " and at most 1000%" : ""}, got ${v}${percent ? "%" : ""}`),
};

/**
 * The filters a chain may name (issue 12, item 2), each with its argument
 * rules and factory. Frozen: a name not here is an unknown filter.
 */
export const FILTERS: Readonly<Record<string, FilterSpec>> = Object.freeze({
  median: { args: [integer("n", 1, MAX_WINDOW)], required: 1, create: (a) => new Median(a[0]) },
  mean: { args: [integer("n", 1, MAX_WINDOW)], required: 1, create: (a) => new Mean(a[0]) },
  ema: { args: [above("alpha", 0, 1)], required: 1, create: (a) => new Ema(a[0]) },
  calibrate: { args: [any("gain"), any("offset")], required: 2, create: (a) => new Calibrate(a[0], a[1]) },
  calibrate2: { args: [any("raw1"), any("ref1"), any("raw2"), any("ref2")], required: 4, create: (a) => Calibrate.fromTwoPoints(a[0], a[1], a[2], a[3]) },
  clamp: { args: [any("lo"), any("hi")], required: 2, create: (a) => new Clamp(a[0], a[1]) },
  deadband: { args: [band], required: 1, percentArg: 0, create: (a, percent) => new Deadband(a[0], percent) },
  rate_limit: { args: [above("per_s", 0, Number.MAX_VALUE)], required: 1, create: (a) => new RateLimit(a[0]) },
  rate: { args: [], required: 0, create: () => new Rate() },
  throttle: { args: [above("s", 0, MAX_SECONDS)], required: 1, create: (a) => new Throttle(a[0]) },
  heartbeat: { args: [above("s", 0, MAX_SECONDS)], required: 1, create: (a) => new Heartbeat(a[0]) },
  compress: { args: [above("e", 0, Number.MAX_VALUE), above("max_s", 0, MAX_SECONDS)], required: 1, create: (a) => new ReportedCompress(a[0], a[1] ?? COMPRESS_DEFAULT_MAX_S) },
});

/** The names in FILTERS, in order. */
export const FILTER_NAMES: readonly string[] = Object.freeze(Object.keys(FILTERS));
