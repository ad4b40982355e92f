import test from "ava";
import DigitalInput from "../../../modules/io/drivers/digital-input.js";
import { counterKey } from "../../../modules/io/counter-store.js";
import { PinBoard } from "../../../modules/io/models/pin-models.js";
import { FakeTimers } from "../../helpers/fake-timers.js";
import { MemoryStorage } from "../../helpers/memory-platform.js";
import { randomInt, seededRandom } from "../../helpers/seeded-random.js";

const PIN = 27;

function setup(storage = new MemoryStorage(), time = new FakeTimers()) {
  const pins = new PinBoard();
  const level = { value: 0 };
  pins.inputs.set(PIN, () => level.value);
  const errors: string[] = [];
  const open = (persistMs = 60_000) =>
    new DigitalInput({
      sensor: { io: pins.digitalClass(), pin: PIN },
      now: () => time.monotonic(),
      timers: time,
      storage,
      key: counterKey("d", "run"),
      persistMs,
      onError: (m) => void errors.push(m),
    });
  return { pins, level, time, storage, errors, open };
}

test("debounce in virtual time: a change that holds 50 ms counts, bounces shorter than that do not", (t) => {
  const { level, time, open } = setup();
  const input = open();
  // Contact closes with 30 ms of bounce: 0/1 every 5 ms, then steady 1.
  for (let i = 0; i < 6; i++) {
    level.value = i % 2 ? 0 : 1;
    time.advance(5);
  }
  level.value = 1;
  time.advance(40);
  t.is(input.sample().state.value, 0, "not yet: steady for 40 ms only");
  time.advance(20);
  const closed = input.sample();
  t.is(closed.state.value, 1);
  t.is(closed.transitions.value, 1, "one transition, the bounces did not count");
  // A 20 ms glitch to 0 is filtered out entirely.
  level.value = 0;
  time.advance(20);
  level.value = 1;
  time.advance(100);
  t.deepEqual(input.sample().transitions, { value: 1, quality: "good" });
  level.value = 0;
  time.advance(100);
  t.deepEqual(input.sample().state, { value: 0, quality: "good" });
  t.is(input.sample().transitions.value, 2);
});

test("on-time: running hours count from the moment the contact closed, not from the end of the debounce", (t) => {
  const { level, time, open } = setup();
  const input = open();
  input.configure({ debounceMs: 1000, pollMs: 200 });
  time.advance(5000);
  level.value = 1;
  time.advance(3_600_000);
  // Without the correction this would be 1 h less the 1 s debounce.
  t.true(Math.abs(input.sample().hours.value! - 1) <= 201 / 3_600_000, `${input.sample().hours.value} h`);
  time.advance(3_600_000);
  level.value = 0;
  time.advance(3_600_000);
  const sample = input.sample();
  t.is(sample.transitions.value, 2);
  // Within one poll interval (200 ms) of exactly 2 h, though each change was accepted 1 s late.
  t.true(Math.abs(sample.hours.value! - 2) <= 201 / 3_600_000, `${sample.hours.value} h`);
});

test("invert: an active-low contact (to GND, with the pull-up) is active when the pin reads 0", (t) => {
  const { level, time, open } = setup();
  level.value = 1;
  const input = open();
  input.configure({ invert: true });
  t.is(input.sample().state.value, 0);
  level.value = 0;
  time.advance(100);
  t.is(input.sample().state.value, 1);
  t.is(input.sample().transitions.value, 1);
});

test("count and hours survive a simulated reboot; writes are bounded by persistMs", (t) => {
  const storage = new MemoryStorage();
  const time = new FakeTimers();
  const first = setup(storage, time);
  const input = first.open(60_000);
  for (let cycle = 0; cycle < 10; cycle++) {
    first.level.value = 1;
    time.advance(30_000);
    input.sample();
    first.level.value = 0;
    time.advance(30_000);
    input.sample();
  }
  // 20 samples over 10 minutes: one write per minute at most.
  t.true(storage.writes <= 11, `${storage.writes} writes`);
  input.close();
  // Reboot: a new pin board and driver on the same flash; time starts again at 0.
  const second = setup(storage, new FakeTimers());
  const again = second.open();
  const sample = again.sample();
  t.is(sample.transitions.value, 20);
  t.true(Math.abs(sample.hours.value! - 300_000 / 3_600_000) < 1e-9, `${sample.hours.value}`);
});

test("power loss without close loses at most persistMs of counts", (t) => {
  const storage = new MemoryStorage();
  const time = new FakeTimers();
  const first = setup(storage, time);
  const input = first.open(60_000);
  for (let cycle = 0; cycle < 30; cycle++) {
    first.level.value = cycle % 2;
    time.advance(10_000);
    input.sample();
  }
  const before = input.sample().transitions.value!;
  // No close(): the power is gone.
  const after = setup(storage, new FakeTimers()).open().sample().transitions.value!;
  t.true(after <= before && before - after <= 6, `${before} before, ${after} after`);
});

test("a pin that throws: state bad sensor_fault once reported, counters kept, recovers", (t) => {
  const { pins, level, time, open, errors } = setup();
  const input = open();
  level.value = 1;
  time.advance(100);
  pins.inputs.set(PIN, () => {
    throw new Error("gpio gone");
  });
  time.advance(100);
  const sample = input.sample();
  t.deepEqual(sample.state, { quality: "bad", reason: "sensor_fault" });
  t.is(sample.transitions.value, 1);
  t.deepEqual(errors, ["digital: gpio gone"], "reported once, not every poll");
  pins.inputs.set(PIN, () => level.value);
  time.advance(100);
  t.deepEqual(input.sample().state, { value: 1, quality: "good" });
});

test("close stops polling and releases the pin", (t) => {
  const { pins, time, open } = setup();
  const input = open();
  const pending = time.pending;
  input.close();
  t.is(time.pending, pending - 1);
  t.notThrows(() => new (pins.digitalClass())({ pin: PIN, mode: "input" }));
});

test("configure names the bad field and keeps the old settings", (t) => {
  const { open } = setup();
  const input = open();
  t.throws(() => input.configure({ debounceMs: -1 }), { instanceOf: RangeError, message: "debounceMs must be 0..10000, got -1" });
  t.throws(() => input.configure({ pollMs: 0 }), { instanceOf: RangeError, message: "pollMs must be 1..1000, got 0" });
  t.throws(() => input.configure({ invert: "yes" as never }), { instanceOf: TypeError, message: "invert must be true or false, got yes" });
});

test("seeded random chatter: the debounced count equals the number of changes that held, never a throw", (t) => {
  const random = seededRandom(4242);
  const { level, time, open } = setup();
  const input = open();
  input.configure({ debounceMs: 50, pollMs: 10 });
  let expected = 0;
  let state = 0;
  for (let step = 0; step < 500; step++) {
    // A burst of short bounces (each level held 10..30 ms), then a steady level for 60..300 ms.
    for (let b = randomInt(random, 5); b > 0; b--) {
      level.value = 1 - level.value;
      time.advance(10 * (1 + randomInt(random, 3)));
    }
    const steady = randomInt(random, 2);
    level.value = steady;
    time.advance(60 + randomInt(random, 240));
    if (steady !== state) {
      expected++;
      state = steady;
    }
    t.notThrows(() => input.sample());
  }
  t.is(input.sample().transitions.value, expected);
});
