import test from "ava";
import ADS1115 from "../../../modules/io/drivers/ads1115.js";
import { scaleTransmitter, checkScaling } from "../../../modules/io/drivers/transmitter-scaling.js";
import { ADS1115Model } from "../../../modules/io/models/ads1115-model.js";
import { I2CBusModel, type I2CDeviceModel } from "../../../modules/io/models/i2c-bus-model.js";
import { TransmitterModel } from "../../../modules/io/models/transmitter-model.js";
import { FakeTimers } from "../../helpers/fake-timers.js";
import { randomInt, seededRandom } from "../../helpers/seeded-random.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

function setup() {
  const time = new FakeTimers();
  const chip = new ADS1115Model(() => time.monotonic());
  const log: string[] = [];
  const recorder: I2CDeviceModel = {
    write(bytes) {
      log.push(`w ${hex(bytes)}`);
      chip.write(bytes);
    },
    read(n) {
      const bytes = chip.read(n);
      log.push(`r ${hex(bytes)}`);
      return bytes;
    },
  };
  const bus = new I2CBusModel();
  bus.attach(0x48, recorder);
  const errors: string[] = [];
  const open = () => new ADS1115({ sensor: { io: bus.ioClass(), data: 21, clock: 22 }, onError: (m) => void errors.push(m) });
  return { time, chip, bus, log, errors, open };
}

// SBAS444 section 9.6.3: OS | MUX | PGA | MODE | DR | COMP_MODE | COMP_POL | COMP_LAT | COMP_QUE.
const CONFIG_WORDS: [number, number, number, number][] = [
  // input, FSR (V), rate (SPS), word
  [0, 4.096, 128, 0xc383], // 1 100 001 1 100 0 0 0 11
  [3, 6.144, 860, 0xf1e3], // 1 111 000 1 111 0 0 0 11
  [1, 0.256, 8, 0xdb03], // 1 101 101 1 000 0 0 0 11
  [2, 2.048, 250, 0xe5a3], // 1 110 010 1 101 0 0 0 11
];
for (const [input, fsr, rate, word] of CONFIG_WORDS)
  test(`config word for AIN${input}, ±${fsr} V, ${rate} SPS is 0x${word.toString(16)}`, (t) => {
    t.is(ADS1115.configWord(input, fsr, rate), word);
  });

// SBAS444 table 3 (ideal output code vs input signal), at FSR ±2.048 V: LSB = 62.5 uV.
const CODES: [number, number][] = [
  [2.048, 0x7fff], // >= +FS (2^15 - 1)/2^15: clipped
  [2.048 * (32767 / 32768), 0x7fff],
  [2.048 / 32768, 0x0001],
  [0, 0x0000],
  [-2.048 / 32768, -1], // 0xFFFF
  [-2.048, -0x8000], // <= -FS: 0x8000
];
for (const [volts, code] of CODES)
  test(`the model converts ${volts.toFixed(6)} V to code 0x${(code & 0xffff).toString(16)}`, (t) => {
    t.is(ADS1115Model.code(volts, 2.048), code);
  });

test("single-shot without waiting: start at open, read on a later sample, the exact transactions", (t) => {
  const { time, chip, log, open } = setup();
  chip.inputs[0] = () => 1.0;
  const adc = open();
  // Open starts a conversion of AIN0 (default ±4.096 V, 128 SPS): config word 0xC383 to pointer 1.
  t.deepEqual(log, ["w 01c383"]);
  // Before 1/128 s has passed: OS reads 0, the sample is not ready, no new conversion starts.
  t.deepEqual(adc.sample().ain[0], { quality: "bad", reason: "not_ready" });
  t.deepEqual(log.slice(1), ["w 01", "r 4383"]);
  time.advance(8);
  const sample = adc.sample();
  // OS = 1: read the conversion register (1.0 V = 8000 codes at 125 uV), start the next conversion.
  t.deepEqual(log.slice(3), ["w 01", "r c383", "w 00", "r 1f40", "w 01c383"]);
  t.deepEqual(sample.ain[0], { value: 1.0, quality: "good" });
  t.is(sample.ain[1], undefined);
});

test("inputs are converted in turn, each with its own latest value", (t) => {
  const { time, chip, open } = setup();
  chip.inputs[1] = () => 0.5;
  chip.inputs[3] = () => 2.0;
  const adc = open();
  // Writing OS=1 while a conversion runs has no effect (section 9.6.3): let the first one finish.
  time.advance(8);
  adc.configure({ inputs: [1, 3], fsr: 4.096, rate: 860 });
  time.advance(2);
  t.deepEqual(adc.sample().ain.map((v) => v?.value), [undefined, 0.5, undefined, undefined]);
  time.advance(2);
  t.deepEqual(adc.sample().ain.map((v) => v?.value), [undefined, 0.5, undefined, 2.0]);
  chip.inputs[1] = () => 0.25;
  time.advance(2);
  t.deepEqual(adc.sample().ain.map((v) => v?.value), [undefined, 0.25, undefined, 2.0]);
});

test("clipped codes are bad over/under range", (t) => {
  const { time, chip, open } = setup();
  chip.inputs[0] = () => 5;
  const adc = open();
  time.advance(10);
  t.deepEqual(adc.sample().ain[0], { quality: "bad", reason: "over_range" });
  chip.inputs[0] = () => -5;
  time.advance(10);
  t.deepEqual(adc.sample().ain[0], { quality: "bad", reason: "under_range" });
});

test("NACK: every input bad nack, onError told, recovers when the chip answers", (t) => {
  const { time, chip, open, errors } = setup();
  chip.inputs[0] = () => 1;
  const adc = open();
  chip.faults.nack = true;
  time.advance(10);
  t.deepEqual(adc.sample().ain[0], { quality: "bad", reason: "nack" });
  t.deepEqual(errors, ["i2c: NACK"]);
  chip.faults.nack = false;
  t.deepEqual(adc.sample().ain[0], { quality: "bad", reason: "nack" }, "restarted, not yet converted");
  time.advance(10);
  t.deepEqual(adc.sample().ain[0], { value: 1, quality: "good" });
});

test("a stuck conversion is bad timeout after 3 samples, then restarted", (t) => {
  const { time, chip, open, errors } = setup();
  chip.inputs[0] = () => 1;
  const adc = open();
  chip.faults.stuck = true;
  for (let i = 0; i < 2; i++) {
    time.advance(100);
    t.is(adc.sample().ain[0]!.reason, "not_ready");
  }
  time.advance(100);
  t.deepEqual(adc.sample().ain[0], { quality: "bad", reason: "timeout" });
  t.deepEqual(errors, ["AIN0: conversion unfinished after 3 samples"]);
  chip.faults.stuck = false;
  time.advance(100);
  adc.sample();
  time.advance(100);
  t.deepEqual(adc.sample().ain[0], { value: 1, quality: "good" });
});

test("a chip reset between start and read is not taken for our conversion", (t) => {
  const { time, chip, open } = setup();
  chip.inputs[0] = () => 1;
  chip.inputs[1] = () => 2;
  const adc = open();
  adc.configure({ inputs: [1] });
  chip.powerCycle();
  time.advance(10);
  t.deepEqual(adc.sample().ain[1], { quality: "bad", reason: "not_ready" });
  time.advance(10);
  t.deepEqual(adc.sample().ain[1], { value: 2, quality: "good" });
});

test("configure names the bad field and keeps the old settings", (t) => {
  const { open } = setup();
  const adc = open();
  t.throws(() => adc.configure({ fsr: 5 }), { instanceOf: RangeError, message: "fsr must be one of 6.144, 4.096, 2.048, 1.024, 0.512, 0.256 V, got 5" });
  t.throws(() => adc.configure({ rate: 100 }), { instanceOf: RangeError, message: "rate must be one of 8, 16, 32, 64, 128, 250, 475, 860 SPS, got 100" });
  t.throws(() => adc.configure({ inputs: [4] }), { instanceOf: RangeError, message: "inputs: AIN must be 0..3, got 4" });
  t.throws(() => adc.configure({ inputs: [1, 1] }), { instanceOf: RangeError, message: "inputs: an input is listed twice in 1,1" });
  t.throws(() => adc.configure({ inputs: [] }), { instanceOf: TypeError });
});

test("close releases the bus: a later sample is nack, not a throw", (t) => {
  const { open, errors } = setup();
  const adc = open();
  adc.close();
  t.deepEqual(adc.sample().ain[0], { quality: "bad", reason: "nack" });
  t.deepEqual(errors, ["i2c: I2C closed"]);
});

test("seeded random faults through a 4-20 mA transmitter: never a wrong good value, never a throw", (t) => {
  const random = seededRandom(8419);
  const { time, chip, open } = setup();
  const wiring = { signal: "4-20mA" as const, rangeLow: 0, rangeHigh: 100, shunt: 250, divider: 1 };
  const scaling = checkScaling(wiring);
  const process = { value: 50 };
  const transmitter = new TransmitterModel(() => process.value, wiring, random);
  chip.inputs[0] = () => transmitter.volts();
  const adc = open();
  adc.configure({ fsr: 6.144, rate: 860 });
  let goods = 0;
  let bads = 0;
  for (let step = 0; step < 3000; step++) {
    process.value = random() * 100;
    // The fault state is held across two samples, so a good reading always comes from the settled state.
    if (step % 2 === 0) {
      const fault = randomInt(random, 8);
      chip.faults.nack = fault === 0;
      chip.faults.stuck = fault === 1;
      transmitter.faults.open = fault === 2;
      transmitter.faults.short = fault === 3;
      transmitter.faults.noise = fault === 4 ? 0.5 : 0;
      if (fault === 5) chip.powerCycle();
    }
    time.advance(2);
    let sample: ReturnType<typeof adc.sample> | undefined;
    t.notThrows(() => (sample = adc.sample()));
    const volts = sample!.ain[0]!;
    if (volts.quality !== "good") {
      bads++;
      t.false("value" in volts, "bad carries no value");
      continue;
    }
    const scaled = scaleTransmitter(volts.value!, scaling);
    if (scaled.quality === "good") {
      goods++;
      t.false(transmitter.faults.open || transmitter.faults.short, `a good value ${scaled.value} from a faulted loop`);
    }
  }
  t.true(goods > 300, `${goods} good values`);
  t.true(bads > 300, `${bads} bad values`);
});

test("with a clock: samples at the same instant never declare a conversion stuck; an overdue one is timeout", (t) => {
  const { time, chip, bus, errors } = setup();
  chip.inputs[0] = () => 1;
  const adc = new ADS1115({ sensor: { io: bus.ioClass() }, now: () => time.monotonic(), onError: (m) => void errors.push(m) });
  for (let i = 0; i < 10; i++) t.is(adc.sample().ain[0]!.reason, "not_ready");
  t.deepEqual(errors, []);
  time.advance(8);
  t.deepEqual(adc.sample().ain[0], { value: 1, quality: "good" });
  chip.faults.stuck = true;
  time.advance(20);
  t.is(adc.sample().ain[0]!.quality, "good", "1/128 s + 10 % + 20 ms not yet over");
  time.advance(10);
  t.deepEqual(adc.sample().ain[0], { quality: "bad", reason: "timeout" });
  t.deepEqual(errors, ["AIN0: conversion overdue"]);
});

test("with timers: one sample starts a scan of every input, each collected when due, all fresh by the next sample", (t) => {
  const { time, chip, bus, log, errors } = setup();
  const volts = [0.5, 1, 1.5, 2];
  for (let i = 0; i < 4; i++) chip.inputs[i] = () => volts[i];
  const adc = new ADS1115({ sensor: { io: bus.ioClass() }, now: () => time.monotonic(), timers: time, onError: (m) => void errors.push(m) });
  adc.configure({ inputs: [0, 1, 2, 3], rate: 860 });
  // Four callers at the same instant: the first one's scan serves them all.
  for (let i = 0; i < 4; i++) adc.sample();
  time.advance(20);
  t.deepEqual(adc.sample().ain.map((v) => v?.value), [0.5, 1, 1.5, 2]);
  time.advance(100);
  const transactions = log.length;
  time.advance(1000);
  t.is(log.length, transactions, "idle between scans: no bus traffic until the next sample");
  chip.faults.nack = true;
  time.advance(20);
  // The scan's first step runs in the sample itself: the NACK shows at once.
  t.deepEqual(adc.sample().ain[2], { quality: "bad", reason: "nack" });
  chip.faults.nack = false;
  time.advance(20);
  adc.close();
  t.is(time.pending, 0, "close clears the scan's timer");
  t.deepEqual(errors, ["i2c: NACK"]);
});
