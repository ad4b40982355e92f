import test from "ava";
import { SampleSchedule } from "../../modules/io/sample-schedule.js";
import type { TimerHandle, Timers } from "../../modules/platform.js";
import { FakeTimers } from "../helpers/fake-timers.js";
import { runSchedule } from "../helpers/schedule-scenario.js";

const DAY = 86_400_000;
const DAY_INTERVALS = [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 7000];

test("a simulated day of 8 channels at 1 s and one at 7 s: exactly the due samples, each at its due time (no drift)", (t) => {
  const { channels, skipped } = runSchedule(DAY_INTERVALS, DAY, 0, 1);
  for (const c of channels) {
    t.is(c.samples, Math.floor(DAY / c.intervalMs), c.name);
    t.is(c.minLateMs, 0, c.name);
    t.is(c.maxLateMs, 0, `${c.name}: sample k at exactly k × ${c.intervalMs} ms`);
    t.is(c.maxStampErrorMs, 0, c.name);
  }
  t.is(channels.reduce((n, c) => n + c.samples, 0), 8 * 86_400 + 12_342);
  t.is(skipped, 0);
});

for (const [maxLate, seed] of [[300, 11], [999, 12], [50, 13]] as const) {
  test(`a host timer late by up to ${maxLate} ms (seed ${seed}) for a day: every sample within that bound of its due time, the count exact`, (t) => {
    const { channels, skipped } = runSchedule(DAY_INTERVALS, DAY, maxLate, seed);
    for (const c of channels) {
      t.is(c.samples, Math.floor(DAY / c.intervalMs), c.name);
      t.true(c.minLateMs >= 0 && c.maxLateMs <= maxLate, `${c.name}: ${c.minLateMs}..${c.maxLateMs} ms late`);
      t.is(c.maxStampErrorMs, 0, `${c.name}: stamped with the due time, not when the late timer fired`);
    }
    t.true(channels[0].maxLateMs > 0, "the timer was late");
    t.is(skipped, 0, "late by less than an interval: nothing skipped");
  });
}

/** FakeTimers whose n-th `once` fires late by `late[n]` ms (0 past the list). */
function scriptedTimers(late: number[]): { fake: FakeTimers; timers: Timers } {
  const fake = new FakeTimers();
  let n = 0;
  const timers: Timers = {
    once: (callback, delayMs) => fake.once(callback, delayMs + (late[n++] ?? 0)),
    repeat: () => {
      throw new Error("SampleSchedule must not use repeat");
    },
    clear: (handle: TimerHandle | undefined) => fake.clear(handle),
  };
  return { fake, timers };
}

// [lateness of each arming, calls as "due@fired", skipped]
const LATE_CASES: [string, number[], string[], number][] = [
  ["on time", [], ["1000@1000", "2000@2000", "3000@3000", "4000@4000", "5000@5000"], 0],
  ["late 999 ms: no burst, the next one on its own time", [0, 999], ["1000@1000", "2000@2999", "3000@3000", "4000@4000", "5000@5000"], 0],
  ["late exactly one interval: the passed due time is skipped", [0, 1000], ["1000@1000", "3000@3000", "4000@4000", "5000@5000"], 1],
  ["late 3.5 intervals: three skipped, one call for the latest, then on schedule", [0, 3500], ["1000@1000", "5000@5500", "6000@6000"], 3],
  ["late twice in a row, each bounded", [400, 400, 400], ["1000@1400", "2000@2400", "3000@3400", "4000@4000", "5000@5000"], 0],
];

for (const [name, late, expected, skippedExpected] of LATE_CASES) {
  test(`SampleSchedule: ${name}`, (t) => {
    const { fake, timers } = scriptedTimers(late);
    const calls: string[] = [];
    const skips: number[] = [];
    const schedule = new SampleSchedule(timers, fake, 1000, (due) => calls.push(`${due}@${fake.monotonic()}`), (n) => skips.push(n));
    schedule.start();
    fake.advance(Number(expected.at(-1)!.split("@")[1]));
    t.deepEqual(calls, expected);
    t.is(schedule.skipped, skippedExpected);
    t.is(skips.reduce((a, b) => a + b, 0), skippedExpected);
    t.is(fake.pending, 1, "one timer armed at a time");
  });
}

test("SampleSchedule: stop (also from inside a call) ends the calls; start again counts from then", (t) => {
  const fake = new FakeTimers();
  const calls: number[] = [];
  const schedule = new SampleSchedule(fake, fake, 1000, (due) => {
    calls.push(due);
    if (calls.length === 2) schedule.stop();
  });
  schedule.start();
  fake.advance(5000);
  t.deepEqual(calls, [1000, 2000]);
  t.false(schedule.running);
  t.is(fake.pending, 0);
  fake.advance(250);
  schedule.start();
  fake.advance(2000);
  t.deepEqual(calls, [1000, 2000, 6250, 7250]);
});

test("SampleSchedule: an interval that is not a positive whole number of ms is a RangeError naming it", (t) => {
  const fake = new FakeTimers();
  for (const bad of [0, -5, 1.5, Number.NaN]) {
    t.throws(() => new SampleSchedule(fake, fake, bad, () => {}), { instanceOf: RangeError, message: new RegExp(`got ${bad}$`) });
  }
});

test("Channels: a sample late by more than an interval skips the missed ones and counts them in samples_skipped", (t) => {
  // Each arming late by up to 2.5 intervals: many are skipped, none burst, and every due time is either sampled or counted.
  const { channels, skipped } = runSchedule([1000], 600_000, 2500, 5);
  const c = channels[0];
  t.true(skipped > 0);
  // Due times 1..600 s have all passed by the end (600 s + 2.5 s); at most 602 s could have been taken.
  t.true(c.samples + skipped >= 600 && c.samples + skipped <= 602, `${c.samples} samples + ${skipped} skipped`);
});
