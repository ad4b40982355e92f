import test from "ava";
import { runSchedule } from "../helpers/schedule-scenario.js";
import { runOnXS } from "../helpers/xs.js";

const INTERVALS = [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 7000];
const HOUR = 3_600_000;

test("the scheduler on XS: 8 channels at 1 s and one at 7 s for an hour, exact and with a late timer, the same samples and due-time offsets as on Node", async (t) => {
  const run = await runOnXS("test/xs/entries/sample-schedule.ts");
  t.teardown(() => run.close());
  for (const maxLateMs of [0, 300]) {
    const args = { intervals: INTERVALS, durationMs: HOUR, maxLateMs, seed: 21 };
    const onXS = await run.command<ReturnType<typeof runSchedule>>("run", args);
    t.deepEqual(onXS, runSchedule(INTERVALS, HOUR, maxLateMs, 21), `late up to ${maxLateMs} ms`);
    for (const c of onXS.channels) {
      t.is(c.samples, Math.floor(HOUR / c.intervalMs), c.name);
      t.true(c.minLateMs >= 0 && c.maxLateMs <= maxLateMs, `${c.name}: ${c.minLateMs}..${c.maxLateMs}`);
    }
  }
});
