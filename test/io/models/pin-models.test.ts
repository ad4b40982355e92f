import test from "ava";
import { PinBoard } from "../../../modules/io/models/pin-models.js";

function board() {
  const pins = new PinBoard();
  return { pins, Digital: pins.digitalClass(), Analog: pins.analogClass(), PWM: pins.pwmClass() };
}

test("a second open of a claimed pin fails, whatever the IO kind", (t) => {
  const { Digital, Analog, PWM } = board();
  new Digital({ pin: 5, mode: "input" });
  t.throws(() => new Digital({ pin: 5, mode: "output" }), { instanceOf: Error, message: "pin 5 already in use" });
  t.throws(() => new Analog({ pin: 5 }), { message: "pin 5 already in use" });
  t.throws(() => new PWM({ pin: 5 }), { message: "pin 5 already in use" });
  t.notThrows(() => new PWM({ pin: 6 }));
});

test("close releases the pin for the next open", (t) => {
  const { Digital, Analog, PWM } = board();
  new Digital({ pin: 2, mode: "output" }).close();
  const adc = new Analog({ pin: 2 });
  adc.close();
  const pwm = new PWM({ pin: 2 });
  pwm.close();
  t.notThrows(() => new Digital({ pin: 2, mode: "input" }));
});

test("closing a closed pin twice does not release someone else's claim", (t) => {
  const { Digital, Analog, PWM } = board();
  for (const [pin, open] of [
    [10, () => new Digital({ pin: 10, mode: "input" })],
    [11, () => new Analog({ pin: 11 })],
    [12, () => new PWM({ pin: 12 })],
  ] as const) {
    const first = open();
    first.close();
    open(); // the pin's new owner
    first.close(); // a stale close
    t.throws(open, { message: `pin ${pin} already in use` }, `pin ${pin}`);
  }
});

/** Pins outside the ESP32's GPIO 0..48 → exact RangeError, and nothing claimed. */
for (const pin of [-1, 49, 2.5, NaN]) {
  test(`pin ${pin} is out of range`, (t) => {
    const { Digital, Analog, PWM, pins } = board();
    const message = `pin must be 0..48, got ${pin}`;
    t.throws(() => new Digital({ pin, mode: "input" }), { instanceOf: RangeError, message });
    t.throws(() => new Analog({ pin }), { instanceOf: RangeError, message });
    t.throws(() => new PWM({ pin }), { instanceOf: RangeError, message });
    t.throws(() => pins.claim(pin), { instanceOf: RangeError, message });
  });
}

test("pins 0 and 48 are the ends of the range", (t) => {
  const { Digital } = board();
  t.notThrows(() => new Digital({ pin: 0, mode: "input" }));
  t.notThrows(() => new Digital({ pin: 48, mode: "input" }));
});

test("digital input: level 0, or 1 with the pull-up; reads what the board sets", (t) => {
  const { Digital, pins } = board();
  const plain = new Digital({ pin: 1, mode: "input" });
  const pulledUp = new Digital({ pin: 2, mode: "inputPullUp" });
  const pulledDown = new Digital({ pin: 3, mode: "inputPullDown" });
  t.deepEqual([plain.read(), pulledUp.read(), pulledDown.read()], [0, 1, 0]);
  pins.levels.set(2, 0);
  t.is(pulledUp.read(), 0);
  t.throws(() => plain.write(1), { instanceOf: Error, message: "pin 1 is an input" });
});

test("digital input: a level the board set before the open is kept", (t) => {
  const { Digital, pins } = board();
  pins.levels.set(7, 1);
  t.is(new Digital({ pin: 7, mode: "input" }).read(), 1);
});

test("digital output: write sets the level the board sees, any truthy value is 1", (t) => {
  const { Digital, pins } = board();
  const led = new Digital({ pin: 13, mode: "output" });
  t.is(pins.levels.get(13), 0);
  led.write(1);
  t.is(pins.levels.get(13), 1);
  t.is(led.read(), 1);
  led.write(0);
  t.is(pins.levels.get(13), 0);
  led.write(7);
  t.is(pins.levels.get(13), 1);
});

/** Analog source value → raw count: rounded, then clamped to 0..2^resolution - 1. */
const analogCases: { label: string; resolution?: number; source?: number; count: number }[] = [
  { label: "no source reads 0", count: 0 },
  { label: "in range", source: 1234, count: 1234 },
  { label: "rounded", source: 1234.5, count: 1235 },
  { label: "rounded down", source: 0.4, count: 0 },
  { label: "clamped to the 12-bit top", source: 5000, count: 4095 },
  { label: "the 12-bit top itself", source: 4095, count: 4095 },
  { label: "clamped to 0", source: -3, count: 0 },
  { label: "10 bits: clamped to 1023", resolution: 10, source: 4000, count: 1023 },
  { label: "10 bits: in range", resolution: 10, source: 512, count: 512 },
];

for (const { label, resolution, source, count } of analogCases) {
  test(`analog: ${label}`, (t) => {
    const { Analog, pins } = board();
    if (source !== undefined) pins.analog.set(34, () => source);
    const adc = new Analog(resolution === undefined ? { pin: 34 } : { pin: 34, resolution });
    t.is(adc.resolution, resolution ?? 12);
    t.is(adc.read(), count);
  });
}

test("analog: the source is asked on every read", (t) => {
  const { Analog, pins } = board();
  let volts = 0;
  pins.analog.set(35, () => volts * 1241);
  const adc = new Analog({ pin: 35 });
  t.is(adc.read(), 0);
  volts = 1.65;
  t.is(adc.read(), 2048);
  volts = 5;
  t.is(adc.read(), 4095);
});

test("PWM: default 10 bits; values 0..1023 set the duty", (t) => {
  const { PWM, pins } = board();
  const fan = new PWM({ pin: 25, hz: 25_000 });
  t.is(fan.resolution, 10);
  fan.write(0);
  t.is(pins.duty.get(25), 0);
  fan.write(1023);
  t.is(pins.duty.get(25), 1023);
});

/** PWM values out of range → exact RangeError, duty unchanged. */
const pwmErrors: { resolution?: number; value: number; message: string }[] = [
  { value: 1024, message: "PWM value must be 0..1023, got 1024" },
  { value: -1, message: "PWM value must be 0..1023, got -1" },
  { value: 1.5, message: "PWM value must be 0..1023, got 1.5" },
  { value: NaN, message: "PWM value must be 0..1023, got NaN" },
  { value: Infinity, message: "PWM value must be 0..1023, got Infinity" },
  { resolution: 8, value: 256, message: "PWM value must be 0..255, got 256" },
  { resolution: 1, value: 2, message: "PWM value must be 0..1, got 2" },
];

for (const { resolution, value, message } of pwmErrors) {
  test(`PWM: ${message}`, (t) => {
    const { PWM, pins } = board();
    const pwm = new PWM(resolution === undefined ? { pin: 26 } : { pin: 26, resolution });
    pwm.write(1);
    t.throws(() => pwm.write(value), { instanceOf: RangeError, message });
    t.is(pins.duty.get(26), 1);
  });
}
