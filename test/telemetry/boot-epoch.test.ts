import test from "ava";
import { BOOT_EPOCH_STEP_MS, BootEpoch } from "../../modules/telemetry/boot-epoch.js";

/** A clock whose millisecond ticks between two reads, as a fast simulator's or a board's does now and then. */
function tickingClock(epoch: number) {
  let now = 1_000;
  const clock = {
    step: 0,
    synced: true,
    monotonic: () => now++,
    wallTime: () => (clock.synced ? epoch + clock.step + now : undefined),
  };
  return clock;
}

test("the boot epoch stays put while a ms ticks between reading the wall clock and the monotonic one", (t) => {
  const clock = tickingClock(1_796_000_000_000);
  const epoch = new BootEpoch(clock);
  const first = epoch.get();
  t.not(first, undefined);
  for (let i = 0; i < 100; i++) t.is(epoch.get(), first);
});

test("a wall-clock step of the threshold or more moves it; a smaller one does not", (t) => {
  const clock = tickingClock(1_796_000_000_000);
  const epoch = new BootEpoch(clock);
  const first = epoch.get()!;
  clock.step = BOOT_EPOCH_STEP_MS - 10;
  t.is(epoch.get(), first);
  clock.step = 3_600_000;
  const stepped = epoch.get()!;
  t.true(Math.abs(stepped - (first + 3_600_000)) <= 1);
});

test("undefined while the clock is not synchronised, taken afresh after", (t) => {
  const clock = tickingClock(1_796_000_000_000);
  clock.synced = false;
  const epoch = new BootEpoch(clock);
  t.is(epoch.get(), undefined);
  clock.synced = true;
  t.not(epoch.get(), undefined);
});
