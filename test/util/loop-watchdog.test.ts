import test from "ava";
import type { Watchdog } from "../../modules/platform.js";
import { LoopWatchdog } from "../../modules/util/loop-watchdog.js";

function double(options: { startThrows?: string; feedThrows?: string } = {}) {
  const calls: string[] = [];
  const watchdog: Watchdog = {
    timeoutMs: 10_000,
    start() {
      calls.push("start");
      if (options.startThrows) throw new Error(options.startThrows);
    },
    feed() {
      calls.push("feed");
      if (options.feedThrows) throw new Error(options.feedThrows);
    },
    stop() {
      calls.push("stop");
    },
  };
  return { watchdog, calls };
}

test("armed at start, fed at each turn of the loop, disarmed at stop; status says so", (t) => {
  const { watchdog, calls } = double();
  const errors: string[] = [];
  const loop = new LoopWatchdog(watchdog, (m) => errors.push(m));
  t.is(loop.describe(), "not armed yet");
  loop.feed();
  t.deepEqual(calls, [], "no feed before it is armed");
  t.true(loop.start());
  loop.feed();
  loop.feed();
  t.is(loop.describe(), "armed, timeout 10 s, fed by the main loop (2 feeds)");
  loop.stop();
  loop.feed();
  t.deepEqual(calls, ["start", "feed", "feed", "stop"]);
  t.is(loop.describe(), "stopped");
  t.deepEqual(errors, []);
});

test("no watchdog on the host: nothing to arm, status says none", (t) => {
  const loop = new LoopWatchdog(undefined, () => t.fail());
  t.false(loop.start());
  loop.feed();
  loop.stop();
  t.is(loop.describe(), "none on this host");
});

test("a watchdog that cannot be armed, or a feed that throws, is reported and never thrown into the loop", (t) => {
  const errors: string[] = [];
  const refused = new LoopWatchdog(double({ startThrows: "no timer left" }).watchdog, (m) => errors.push(m));
  t.false(refused.start());
  t.notThrows(() => refused.feed());
  t.is(refused.describe(), "not armed: no timer left");
  const flaky = new LoopWatchdog(double({ feedThrows: "bus error" }).watchdog, (m) => errors.push(m));
  flaky.start();
  t.notThrows(() => flaky.feed());
  t.deepEqual(errors, ["cannot arm the watchdog: no timer left", "feeding the watchdog failed: bus error"]);
});
