import test from "ava";
import { SharedTicks } from "../../../hosts/node/shared-ticks.js";
import { until } from "../../helpers/until.js";

test("checks of one period share one host timer; removing the last clears it; a throwing check does not stop the others", async (t) => {
  const ticks = new SharedTicks();
  const errors: unknown[] = [];
  ticks.onError = (error) => errors.push(error);
  const runs = [0, 0, 0];
  const removers = runs.map((_, i) => ticks.add(5, () => {
    runs[i]++;
    if (i === 0) throw new Error("boom");
  }));
  const other = ticks.add(7, () => {});
  t.is(ticks.size, 4);
  t.is(ticks.timers, 2, "one timer per period, not per check");
  await until(() => runs.every((n) => n >= 3));
  t.true(errors.length >= 3);
  removers[1]();
  removers[1]();
  const stopped = runs[1];
  t.is(ticks.size, 3);
  await until(() => runs[2] >= stopped + 3);
  t.is(runs[1], stopped, "a removed check never runs again");
  removers[0]();
  removers[2]();
  other();
  t.is(ticks.size, 0);
  t.is(ticks.timers, 0, "no timer left to keep the process alive");
});
