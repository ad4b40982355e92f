import test from "ava";
import PulseCounter from "../../../modules/io/drivers/pulse-counter.js";
import { counterKey } from "../../../modules/io/counter-store.js";
import { PinBoard } from "../../../modules/io/models/pin-models.js";
import { PulseCountBoard, PulseSource } from "../../../modules/io/models/pulse-models.js";
import type { PulseCountIO, PulseCountOptions } from "../../../modules/platform.js";
import { FakeTimers } from "../../helpers/fake-timers.js";
import { MemoryStorage } from "../../helpers/memory-platform.js";
import { randomInt, seededRandom } from "../../helpers/seeded-random.js";

const PIN = 4;

function setup(options: { storage?: MemoryStorage; hardware?: boolean; rate?: number } = {}) {
  const time = new FakeTimers();
  const storage = options.storage ?? new MemoryStorage();
  const pins = new PinBoard();
  const board = new PulseCountBoard(pins);
  const meter = { rate: options.rate ?? 10 };
  const source = new PulseSource(() => time.monotonic(), () => meter.rate);
  board.sources.set(PIN, source);
  pins.inputs.set(PIN, () => source.level());
  const errors: string[] = [];
  const open = (persistMs = 60_000) =>
    new PulseCounter({
      sensor: options.hardware === false ? { digital: pins.digitalClass(), signal: PIN } : { io: board.pulseCountClass(), signal: PIN },
      now: () => time.monotonic(),
      timers: time,
      storage,
      key: counterKey("p", "flow"),
      persistMs,
      onError: (m) => void errors.push(m),
    });
  return { time, storage, pins, board, meter, source, errors, open };
}

test("PulseCount model: the ESP32 PCNT's 16-bit signed counter wraps from 32767 to -32768", (t) => {
  const time = new FakeTimers();
  const pins = new PinBoard();
  const board = new PulseCountBoard(pins);
  board.sources.set(PIN, new PulseSource(() => time.monotonic(), () => 1000));
  const counter = new (board.pulseCountClass())({ signal: PIN });
  time.advance(32_767);
  t.is(counter.read(), 32767);
  time.advance(1);
  t.is(counter.read(), -32768);
  time.advance(65_536);
  t.is(counter.read(), -32768);
  counter.write(5);
  t.is(counter.read(), 5);
});

test("count, rate and totaliser from the hardware counter", (t) => {
  const { time, open } = setup({ rate: 25 });
  const counter = open();
  counter.configure({ pulsesPerUnit: 100, windowMs: 10_000 });
  time.advance(20_000);
  const sample = counter.sample();
  t.deepEqual(sample.count, { value: 500, quality: "good" });
  t.deepEqual(sample.total, { value: 5, quality: "good" });
  t.is(sample.rate.value, 25);
  t.is(sample.flow.value, 0.25);
});

test("rollover: 40 minutes at 1 kHz wraps the 16-bit counter 36 times and not a pulse is lost", (t) => {
  const { time, open } = setup({ rate: 1000 });
  const counter = open();
  for (let minute = 0; minute < 40; minute++) time.advance(60_000);
  t.is(counter.sample().count.value, 2_400_000);
  t.is(counter.sample().rate.value, 1000);
});

test("rollover between two reads at the edge: 32767 -> -32768 adds exactly one", (t) => {
  let raw = 32760;
  const Fake = class implements PulseCountIO {
    constructor(_options: PulseCountOptions) {}
    read() {
      return raw;
    }
    write() {}
    close() {}
  };
  const time = new FakeTimers();
  const counter = new PulseCounter({ sensor: { io: Fake, signal: 1 }, now: () => time.monotonic(), timers: time });
  raw = 32767;
  t.is(counter.sample().count.value, 7);
  raw = -32768;
  t.is(counter.sample().count.value, 8);
  raw = -32760;
  t.is(counter.sample().count.value, 16);
});

test("the totaliser survives a simulated reboot (count in flash), and the new counter starts at 0", (t) => {
  const storage = new MemoryStorage();
  const first = setup({ storage, rate: 50 });
  const counter = first.open();
  counter.configure({ pulsesPerUnit: 10 });
  first.time.advance(120_000);
  t.is(counter.sample().total.value, 600);
  counter.close();
  const second = setup({ storage, rate: 50 });
  const again = second.open();
  again.configure({ pulsesPerUnit: 10 });
  t.is(again.sample().count.value, 6000, "carried over, nothing added for the hardware counter's own start");
  second.time.advance(10_000);
  t.is(again.sample().total.value, 650);
});

test("flash writes are bounded: at most one per persistMs however often it is sampled", (t) => {
  const { time, open, storage } = setup({ rate: 5 });
  const counter = open(60_000);
  for (let i = 0; i < 600; i++) {
    time.advance(1000);
    counter.sample();
  }
  t.true(storage.writes <= 11, `${storage.writes} writes in 10 minutes`);
});

test("the Digital fallback counts rising edges of a slow meter", (t) => {
  const { time, open } = setup({ hardware: false, rate: 20 });
  const counter = open();
  time.advance(30_000);
  const sample = counter.sample();
  t.true(Math.abs(sample.count.value! - 600) <= 1, `${sample.count.value}`);
  t.true(Math.abs(sample.rate.value! - 20) <= 0.2, `${sample.rate.value}`);
});

test("the Digital fallback's debounce drops contact chatter", (t) => {
  const { time, pins, open } = setup({ hardware: false });
  const level = { value: 0 };
  pins.inputs.set(PIN, () => level.value);
  const counter = open();
  counter.configure({ debounceMs: 20, pollMs: 5 });
  for (let pulse = 0; pulse < 10; pulse++) {
    for (const bounce of [1, 0, 1, 0, 1]) {
      level.value = bounce;
      time.advance(5);
    }
    time.advance(100);
    level.value = 0;
    time.advance(100);
  }
  t.is(counter.sample().count.value, 10);
});

test("rate is not_ready right after open; a stuck meter gives rate 0, not a fault", (t) => {
  const { time, source, open } = setup({ rate: 10 });
  const counter = open();
  t.deepEqual(counter.sample().rate, { quality: "bad", reason: "not_ready" });
  time.advance(20_000);
  source.faults.stuck = true;
  time.advance(20_000);
  t.deepEqual(counter.sample().rate, { value: 0, quality: "good" });
});

test("a counter that throws: every value bad sensor_fault, reported once; recovery keeps the pulses", (t) => {
  const { time, source, open, errors } = setup({ rate: 10 });
  const counter = open();
  time.advance(10_000);
  source.faults.fail = true;
  time.advance(10_000);
  const sample = counter.sample();
  t.deepEqual(sample.total, { quality: "bad", reason: "sensor_fault" });
  t.false("value" in sample.count);
  t.deepEqual(errors, ["pulse: PCNT read failed"]);
  source.faults.fail = false;
  time.advance(1000);
  t.is(counter.sample().count.value, 210, "the hardware kept counting during the fault");
});

test("configure names the bad field", (t) => {
  const { open } = setup();
  const counter = open();
  t.throws(() => counter.configure({ pulsesPerUnit: 0 }), { instanceOf: RangeError, message: "pulsesPerUnit must be above 0, got 0" });
  t.throws(() => counter.configure({ windowMs: 10 }), { instanceOf: RangeError, message: "windowMs must be 1000..3600000, got 10" });
  t.throws(() => counter.configure({ debounceMs: 5000 }), { instanceOf: RangeError, message: "debounceMs must be 0..1000, got 5000" });
});

test("needs a PulseCount or a Digital constructor, and a key with storage", (t) => {
  const time = new FakeTimers();
  t.throws(() => new PulseCounter({ sensor: { signal: 1 }, now: () => 0, timers: time }), { instanceOf: TypeError, message: "sensor.io (PulseCount) or sensor.digital (Digital) is required" });
  const pins = new PinBoard();
  t.throws(() => new PulseCounter({ sensor: { digital: pins.digitalClass(), signal: 1 }, now: () => 0, timers: time, storage: new MemoryStorage() }), { instanceOf: TypeError, message: "key is required with storage" });
});

test("seeded random run: faults, reboots and rate changes; the count never runs ahead of the meter, never a throw", (t) => {
  const random = seededRandom(1611);
  const storage = new MemoryStorage();
  let rig = setup({ storage, rate: 100 });
  let counter = rig.open(10_000);
  let metered = 0;
  let lostAtMost = 0;
  for (let step = 0; step < 400; step++) {
    const fault = randomInt(random, 10);
    rig.source.faults.fail = fault === 0;
    rig.source.faults.stuck = fault === 1;
    rig.meter.rate = random() * 2000;
    const before = rig.source.count();
    rig.time.advance(1000 + randomInt(random, 4000));
    metered += rig.source.count() - before;
    let sample: ReturnType<typeof counter.sample> | undefined;
    t.notThrows(() => (sample = counter.sample()));
    if (sample!.count.quality === "good") t.true(sample!.count.value! <= metered, `${sample!.count.value} > ${metered}`);
    else t.false("value" in sample!.count);
    if (fault === 2) {
      // Power loss: no close; at most the pulses since the last write are lost.
      lostAtMost += 2000 * 10 + 2000 * 5;
      rig = setup({ storage, rate: 100 });
      counter = rig.open(10_000);
    }
  }
  rig.source.faults.fail = false;
  rig.time.advance(1000);
  const final = counter.sample().count.value!;
  t.true(final <= metered && final >= metered - lostAtMost, `${final} of ${metered}`);
});
