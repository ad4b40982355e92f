import test from "ava";
import { FakeTimers } from "./fake-timers.js";

test("FakeTimers fires due callbacks in due order at their due time, repeats, and clears", (t) => {
  const timers = new FakeTimers();
  const log: string[] = [];
  const note = (name: string) => () => void log.push(`${name}@${timers.monotonic()}`);
  timers.once(note("b"), 20);
  timers.once(note("a"), 10);
  const tick = timers.repeat(note("r"), 15);
  timers.once(note("tie"), 30); // due with r's second firing; scheduled first, so first
  t.is(timers.advance(9), 0);
  t.is(timers.monotonic(), 9);
  t.is(timers.advance(21), 5);
  t.deepEqual(log, ["a@10", "r@15", "b@20", "tie@30", "r@30"]);
  timers.clear(tick);
  timers.clear(tick);
  timers.clear(undefined);
  t.is(timers.advance(100), 0);
  t.is(timers.monotonic(), 130);
  t.is(timers.pending, 0);
});

test("FakeTimers: a callback scheduling another within the same advance sees it fire", (t) => {
  const timers = new FakeTimers();
  const log: number[] = [];
  timers.once(() => timers.once(() => void log.push(timers.monotonic()), 5), 5);
  timers.advance(10);
  t.deepEqual(log, [10]);
});

test("FakeTimers rejects bad intervals and negative advances", (t) => {
  const timers = new FakeTimers();
  t.throws(() => timers.repeat(() => {}, 0), { instanceOf: RangeError, message: "repeat interval must be positive, got 0" });
  t.throws(() => timers.advance(-1), { instanceOf: RangeError, message: "advance needs a non-negative ms, got -1" });
});

test("FakeTimers: advance and advanceSettled fire in the same order, a repeat behind the timers already waiting", async (t) => {
  const order = async (settled: boolean) => {
    const timers = new FakeTimers();
    const log: string[] = [];
    const note = (name: string) => () => void log.push(`${name}@${timers.monotonic()}`);
    timers.repeat(note("r"), 15);
    timers.once(note("tie"), 30);
    timers.once(note("b"), 20);
    if (settled) await timers.advanceSettled(30);
    else timers.advance(30);
    return log;
  };
  t.deepEqual(await order(false), ["r@15", "b@20", "tie@30", "r@30"]);
  t.deepEqual(await order(true), await order(false));
});

test("FakeTimers.advanceSettled lets a callback's promise jobs run at its due time", async (t) => {
  const timers = new FakeTimers();
  const log: string[] = [];
  timers.once(() => void Promise.resolve().then(() => log.push(`job@${timers.monotonic()}`)), 10);
  timers.once(() => void log.push(`next@${timers.monotonic()}`), 20);
  t.is(await timers.advanceSettled(30), 2);
  t.deepEqual(log, ["job@10", "next@20"]);
});

test("FakeTimers: the wall clock is unset by default, then moves with the monotonic clock", (t) => {
  const timers = new FakeTimers({ start: 100 });
  t.is(timers.wallTime(), undefined);
  timers.setWallTime(1_700_000_000_000);
  timers.advance(500);
  t.is(timers.wallTime(), 1_700_000_000_500);
  t.is(new FakeTimers({ wallTimeAtZero: 5000 }).wallTime(), 5000);
  timers.setWallTime(undefined);
  t.is(timers.wallTime(), undefined);
});
