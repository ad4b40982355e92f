import test from "ava";
import { CoalescedTimers } from "../../../../hosts/sim/fleet/coalesced-timers.js";
import { Scheduler } from "../../../../hosts/sim/scheduler.js";
import { VirtualTime } from "../../../../hosts/sim/virtual-time.js";
import { until } from "../../../helpers/until.js";

test("nodes' 100 ms checks share one timer per grid tick; other delays stay exact on the node's own clock", async (t) => {
  const scheduler = new Scheduler({ speed: 200 });
  t.teardown(() => scheduler.close());
  const timers = new CoalescedTimers(new VirtualTime({ scheduler }));
  const nodes = [0, 1, 2].map(() => new VirtualTime({ scheduler }));
  const seen: string[] = [];
  const exact: number[] = [];
  scheduler.still(() => {
    const start = scheduler.now();
    nodes.forEach((node, i) => {
      const clock = timers.clockFor(node);
      // A contact check that re-arms itself every 100 ms, as placeMachine's followPin does.
      const tick = () => {
        seen.push(`${i}@${clock.now() % 100}`);
        if (seen.length < 30) clock.once(tick, 100);
      };
      clock.once(tick, 100);
    });
    timers.clockFor(nodes[0]).once(() => exact.push(scheduler.now() - start), 250);
  });
  t.is(timers.pending, 1, "three nodes' checks: one bucket");
  t.is(scheduler.pending, 2, "one timer for the bucket, one for the exact delay");
  await until(() => seen.length >= 30 && exact.length === 1);
  t.true(seen.every((s) => s.endsWith("@0")), "every check runs on the 100 ms grid");
  t.deepEqual(seen.slice(0, 6), ["0@0", "1@0", "2@0", "0@0", "1@0", "2@0"]);
  t.deepEqual(exact, [250]);
});

test("clear takes one node's check out of its bucket; the last one out cancels the bucket's timer; a throw goes to its node", async (t) => {
  const scheduler = new Scheduler({ speed: 200 });
  t.teardown(() => scheduler.close());
  const timers = new CoalescedTimers(new VirtualTime({ scheduler }));
  const a = new VirtualTime({ scheduler });
  const b = new VirtualTime({ scheduler });
  const errors: string[] = [];
  a.onError = () => errors.push("a");
  b.onError = () => errors.push("b");
  const fired: string[] = [];
  const ca = timers.clockFor(a);
  const cb = timers.clockFor(b);
  const ha = ca.once(() => fired.push("a"), 200);
  const hb = cb.once(() => fired.push("b"), 200);
  ca.clear(ha);
  t.is(timers.pending, 1);
  cb.clear(hb);
  t.is(timers.pending, 0);
  t.is(scheduler.pending, 0, "the bucket's timer is cancelled");
  cb.once(() => {
    throw new Error("boom");
  }, 100);
  ca.once(() => fired.push("a2"), 100);
  await until(() => fired.length > 0);
  t.deepEqual(fired, ["a2"]);
  t.deepEqual(errors, ["b"]);
  t.throws(() => new CoalescedTimers(a, 0), { instanceOf: RangeError, message: "gridMs must be >= 1, got 0" });
});
