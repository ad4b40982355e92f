import test from "ava";
import { StallDetector } from "../../modules/util/stall-detector.js";
import { FakeTimers } from "../helpers/fake-timers.js";

function rig(timeoutMs = 10_000) {
  const time = new FakeTimers();
  const stalls: { at: number; stalled: number }[] = [];
  const detector = new StallDetector(time, time, timeoutMs, (stalled) => stalls.push({ at: time.monotonic(), stalled }));
  return { time, stalls, detector };
}

test("a loop that feeds every second for an hour never trips it", (t) => {
  const { time, stalls, detector } = rig();
  detector.start();
  const feeder = time.repeat(() => detector.feed(), 1000);
  time.advance(3_600_000);
  t.deepEqual(stalls, []);
  t.true(detector.armed);
  time.clear(feeder);
});

test("no feed for the timeout: it fires once, at its next check (a tenth of the timeout), and stays disarmed", (t) => {
  const { time, stalls, detector } = rig();
  detector.start();
  time.advance(9_000);
  detector.feed();
  time.advance(10_000);
  t.deepEqual(stalls, [], "10 s exactly is not past the timeout");
  time.advance(1_000);
  t.deepEqual(stalls, [{ at: 20_000, stalled: 11_000 }]);
  t.false(detector.armed);
  time.advance(60_000);
  detector.feed();
  t.is(stalls.length, 1, "fires once");
  t.is(time.pending, 0, "its check timer is gone");
});

test("a loop blocked past the timeout: the late feed fires it even before any check could run (virtual time stalls)", (t) => {
  const { time, stalls, detector } = rig();
  detector.start();
  time.advance(500);
  detector.feed();
  time.stall(15_000); // one callback blocks for 15 s: no timer fires meanwhile
  detector.feed(); // the loop's next turn
  t.deepEqual(stalls, [{ at: 15_500, stalled: 15_000 }]);
});

test("a block shorter than the timeout passes; the overdue check after it sees the feed that came first", (t) => {
  const { time, stalls, detector } = rig();
  detector.start();
  const feeder = time.repeat(() => detector.feed(), 1000);
  time.advance(2_000);
  time.stall(8_500);
  time.advance(30_000);
  t.deepEqual(stalls, []);
  time.clear(feeder);
});

test("stop disarms it (a clean restart), start arms it afresh; a bad timeout is a RangeError", (t) => {
  const { time, stalls, detector } = rig(2_000);
  detector.start();
  detector.stop();
  time.advance(60_000);
  t.deepEqual(stalls, []);
  t.is(time.pending, 0);
  detector.start();
  time.advance(2_200);
  t.is(stalls.length, 1);
  for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY])
    t.throws(() => new StallDetector(time, time, bad, () => {}), { instanceOf: RangeError, message: /watchdog timeout must be a positive number of ms, got/ });
});
