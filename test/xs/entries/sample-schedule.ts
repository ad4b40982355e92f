/**
 * Guest entry: the drift-free scheduler on XS. "run" runs the scheduler
 * scenario (test/helpers/schedule-scenario.ts) through Channels on fake time
 * and returns its per-channel stats.
 */
import type { XsGuest } from "../../helpers/xs.js";
import { runSchedule } from "../../helpers/schedule-scenario.js";

declare const xsHarness: XsGuest;

xsHarness.on("run", ({ intervals, durationMs, maxLateMs, seed }: { intervals: number[]; durationMs: number; maxLateMs: number; seed: number }) =>
  runSchedule(intervals, durationMs, maxLateMs, seed),
);
