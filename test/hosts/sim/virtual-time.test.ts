import test from "ava";
import { VirtualTime } from "../../../hosts/sim/virtual-time.js";
import { until } from "../../helpers/until.js";

test("timers fire exactly at their virtual due time at any speed, in due order, repeats without drift", async (t) => {
  const time = new VirtualTime({ speed: 500 });
  t.teardown(() => time.close());
  const seen: string[] = [];
  const stamps: number[] = [];
  // Scheduled from a callback: time stands still there, so every due time is exact relative to `start`.
  time.once(() => {
    const start = time.monotonic();
    time.repeat(() => stamps.push(time.monotonic() - start), 1000);
    time.once(() => seen.push(`a@${time.monotonic() - start}`), 2500);
    time.once(() => seen.push(`b@${time.monotonic() - start}`), 2500);
    time.once(() => seen.push(`c@${time.monotonic() - start}`), 1500);
  }, 0);
  await until(() => stamps.length >= 10);
  t.deepEqual(stamps.slice(0, 10), [1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000]);
  t.deepEqual(seen, ["c@1500", "a@2500", "b@2500"]);
});

test("the clock never goes backwards and never runs past a timer that has not fired", async (t) => {
  const time = new VirtualTime({ speed: 2000 });
  t.teardown(() => time.close());
  let last = time.monotonic();
  let fired = 0;
  let ok = true;
  time.repeat(() => {
    fired++;
    const now = time.monotonic();
    if (now < last) ok = false;
    last = now;
  }, 7);
  const poll = setInterval(() => {
    const now = time.monotonic();
    if (now < last) ok = false;
    last = now;
  }, 1);
  await until(() => fired >= 500);
  clearInterval(poll);
  t.true(ok);
});

test("speed scales virtual time against the host clock; wallTime is undefined until syncAfterMs", (t) => {
  let real = 1000;
  const time = new VirtualTime({ speed: 60, realNow: () => real, epochMs: 1_700_000_000_000, syncAfterMs: 5000 });
  t.teardown(() => time.close());
  t.is(time.monotonic(), 0);
  t.is(time.wallTime(), undefined);
  real += 100; // 100 ms of host time = 6 s of virtual time
  t.is(time.monotonic(), 6000);
  t.is(time.wallTime(), 1_700_000_006_000);
});

test("a throwing callback is reported and the others still fire; clear cancels", async (t) => {
  const time = new VirtualTime({ speed: 1000 });
  t.teardown(() => time.close());
  const errors: unknown[] = [];
  time.onError = (error) => errors.push(error);
  const fired: string[] = [];
  time.once(() => {
    throw new Error("boom");
  }, 100);
  const cancelled = time.once(() => fired.push("cancelled"), 150);
  time.once(() => fired.push("after"), 200);
  time.clear(cancelled);
  await until(() => fired.length > 0);
  t.deepEqual(fired, ["after"]);
  t.is((errors[0] as Error).message, "boom");
});

test("a bad speed is a RangeError naming the value", (t) => {
  t.throws(() => new VirtualTime({ speed: 0 }), { instanceOf: RangeError, message: "speed must be a positive number, got 0" });
});

test("still: time stands still while the function runs; timers it sets count from that instant", (t) => {
  let real = 0;
  const time = new VirtualTime({ speed: 10, realNow: () => real });
  t.teardown(() => time.close());
  real = 5;
  const seen = time.still(() => {
    const before = time.monotonic();
    real = 100; // the host's clock runs on while the function works
    return [before, time.monotonic()];
  });
  t.deepEqual(seen, [50, 50]);
  t.is(time.monotonic(), 1000, "and runs on afterwards");
});

test("stall: virtual time jumps with no timer firing on the way; what fell due fires late, seeing the new time, and the clock goes on from there", async (t) => {
  let real = 0;
  const time = new VirtualTime({ speed: 1, realNow: () => real });
  t.teardown(() => time.close());
  const seen: number[] = [];
  time.repeat(() => seen.push(time.monotonic()), 1000);
  time.still(() => time.stall(15_000));
  t.is(time.monotonic(), 15_000);
  await until(() => seen.length >= 15);
  t.deepEqual(seen.slice(0, 15), Array(15).fill(15_000), "the 15 overdue turns run back to back at 15 s");
  real = 1_000;
  t.is(time.monotonic(), 16_000, "the clock follows the host's from the jumped time on");
  t.throws(() => time.stall(-1), { instanceOf: RangeError });
});
