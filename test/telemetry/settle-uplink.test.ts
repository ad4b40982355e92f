import test from "ava";
import { settleUplink, STOP_ACK_WAIT_MS } from "../../modules/telemetry/settle-uplink.js";
import { FakeTimers } from "../helpers/fake-timers.js";

/**
 * Runs `settleUplink` on fake timers; a change is reported at each time in
 * `changesAt` (ms), and the condition holds from `settledAt` (Infinity = never).
 */
async function settle(settledAt: number, changesAt: number[], maxMs?: number) {
  const timers = new FakeTimers();
  const listeners = new Set<() => void>();
  let result: boolean | undefined;
  let at: number | undefined;
  void settleUplink(timers, () => timers.monotonic() >= settledAt, (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, maxMs).then((r) => { result = r; at = timers.monotonic(); });
  await Promise.resolve();
  for (let ms = 0; ms < 5000 && result === undefined; ms += 10) {
    timers.advance(10);
    if (changesAt.includes(timers.monotonic())) for (const listener of [...listeners]) listener();
    await Promise.resolve();
  }
  await Promise.resolve();
  return { result, at, pending: timers.pending, listeners: listeners.size };
}

const cases: { title: string; settledAt: number; changesAt: number[]; maxMs?: number; result: boolean; at: number }[] = [
  { title: "already settled: true at once", settledAt: 0, changesAt: [], result: true, at: 0 },
  { title: "settled at the change that makes it so", settledAt: 400, changesAt: [100, 420, 600], result: true, at: 420 },
  { title: "a change that does not settle it is not enough", settledAt: 400, changesAt: [100, 200], result: true, at: STOP_ACK_WAIT_MS },
  { title: "never settled: false at the bound (default 2 s)", settledAt: Infinity, changesAt: [100], result: false, at: STOP_ACK_WAIT_MS },
  { title: "a bound of its own", settledAt: Infinity, changesAt: [], maxMs: 300, result: false, at: 300 },
];

for (const { title, settledAt, changesAt, maxMs, result, at } of cases) {
  test(title, async (t) => {
    const outcome = await settle(settledAt, changesAt, maxMs);
    t.is(outcome.result, result);
    t.is(outcome.at, at);
    t.is(outcome.pending, 0, "no timer left behind");
    t.is(outcome.listeners, 0, "no listener left behind");
  });
}

test("a condition that throws counts as settled", async (t) => {
  t.true(await settleUplink(new FakeTimers(), () => { throw new Error("boom"); }, () => () => undefined));
});
