import test from "ava";
import { Scheduler } from "../../../hosts/sim/scheduler.js";
import { VirtualTime } from "../../../hosts/sim/virtual-time.js";
import { until } from "../../helpers/until.js";

test("one scheduler drives many views: their timers interleave in due order on one timeline (a repeat that fires queues behind those already waiting)", async (t) => {
  const scheduler = new Scheduler({ speed: 1000 });
  t.teardown(() => scheduler.close());
  const views = [0, 1, 2].map(() => new VirtualTime({ scheduler }));
  const seen: string[] = [];
  scheduler.still(() => {
    const start = views[0].monotonic();
    views.forEach((view, i) => {
      t.is(view.monotonic(), start, "every view reads the one clock");
      view.repeat(() => seen.push(`${i}@${view.monotonic() - start}`), 100 * (i + 1));
    });
  });
  t.is(scheduler.pending, 3);
  await until(() => seen.length >= 11);
  t.deepEqual(seen.slice(0, 11), ["0@100", "1@200", "0@200", "2@300", "0@300", "1@400", "0@400", "0@500", "2@600", "1@600", "0@600"]);
});

test("closing one view cancels its timers only; an error goes to the view that set the timer", async (t) => {
  const scheduler = new Scheduler({ speed: 1000 });
  t.teardown(() => scheduler.close());
  const a = new VirtualTime({ scheduler });
  const b = new VirtualTime({ scheduler });
  const errors: string[] = [];
  a.onError = () => errors.push("a");
  b.onError = () => errors.push("b");
  let aFired = 0;
  let bFired = 0;
  a.repeat(() => aFired++, 10);
  a.once(() => aFired++, 5000);
  b.repeat(() => bFired++, 10);
  b.once(() => {
    throw new Error("boom");
  }, 20);
  t.is(a.pending, 2);
  t.is(b.pending, 2);
  await until(() => errors.length > 0);
  t.deepEqual(errors, ["b"]);
  t.is(b.pending, 1, "a once timer that fired is no longer pending");
  a.close();
  t.is(a.pending, 0);
  t.is(scheduler.pending, 1);
  const before = aFired;
  const bBefore = bFired;
  await until(() => bFired >= bBefore + 20);
  t.is(aFired, before, "the closed view's timers never fire again");
});

test("a burst of due timers fires in turns of at most `burst`, every one exactly once", async (t) => {
  let real = 0;
  const scheduler = new Scheduler({ speed: 1, realNow: () => real, burst: 10 });
  t.teardown(() => scheduler.close());
  const view = new VirtualTime({ scheduler });
  const fired: number[] = [];
  for (let i = 0; i < 35; i++) view.once(() => fired.push(i), 5);
  real = 10;
  await until(() => fired.length === 35);
  t.deepEqual(fired, Array.from({ length: 35 }, (_, i) => i));
  t.is(scheduler.fired, 35);
});

test("behindMs: how late the earliest due timer is on the host's clock, 0 when none is overdue", (t) => {
  let real = 0;
  const scheduler = new Scheduler({ speed: 2, realNow: () => real });
  t.teardown(() => scheduler.close());
  t.is(scheduler.behindMs(), 0, "no timer");
  const view = new VirtualTime({ scheduler });
  view.once(() => {}, 100); // due at virtual 100 = host 50
  real = 40;
  t.is(scheduler.behindMs(), 0);
  real = 80;
  t.is(scheduler.behindMs(), 30);
});
