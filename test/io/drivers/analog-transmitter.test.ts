import test from "ava";
import AnalogTransmitter from "../../../modules/io/drivers/analog-transmitter.js";
import { PinBoard } from "../../../modules/io/models/pin-models.js";
import { TransmitterModel } from "../../../modules/io/models/transmitter-model.js";
import { seededRandom } from "../../helpers/seeded-random.js";

const WIRING = { signal: "4-20mA" as const, rangeLow: 0, rangeHigh: 10, shunt: 150, divider: 1 };

function setup(value = 5, seed = 1) {
  const pins = new PinBoard();
  const process = { value };
  const transmitter = new TransmitterModel(() => process.value, WIRING, seededRandom(seed));
  pins.analog.set(34, () => transmitter.counts(3.3, 12));
  const errors: string[] = [];
  const driver = new AnalogTransmitter({ sensor: { io: pins.analogClass(), pin: 34 }, onError: (m) => void errors.push(m) });
  driver.configure({ shunt: 150, rangeHigh: 10 });
  return { pins, process, transmitter, driver, errors };
}

test("ESP32 ADC: counts to volts to mA to bar, within one count", (t) => {
  const { process, driver } = setup();
  for (const value of [0, 2.5, 5, 10]) {
    process.value = value;
    const sample = driver.sample();
    t.is(sample.quality, "good");
    // One 12-bit count at 3.3 V over 150 ohm is 0.0054 mA = 0.0034 bar.
    t.true(Math.abs(sample.value! - value) < 0.004, `${sample.value} for ${value}`);
  }
});

test("open loop, short and a saturated ADC are bad with their reason, never a number", (t) => {
  const { pins, transmitter, driver } = setup();
  transmitter.faults.open = true;
  t.deepEqual(driver.sample(), { signal: 0, quality: "bad", reason: "open_loop" });
  transmitter.faults.open = false;
  transmitter.faults.short = true;
  // 24 mA over 150 ohm is 3.6 V: above the ADC's 3.3 V, clipped.
  t.deepEqual(driver.sample(), { quality: "bad", reason: "over_range" });
  // With a 100 ohm shunt, 24 mA is 2.4 V: measured, and graded a short.
  const low = new TransmitterModel(() => 5, { ...WIRING, shunt: 100 }, seededRandom(2));
  low.faults.short = true;
  pins.analog.set(34, () => low.counts(3.3, 12));
  driver.configure({ shunt: 100 });
  const short = driver.sample();
  t.is(short.quality, "bad");
  t.is(short.reason, "short");
  t.false("value" in short);
});

test("an ADC that throws is bad sensor_fault and goes to onError", (t) => {
  const { pins, driver, errors } = setup();
  pins.analog.set(34, () => {
    throw new Error("adc busy");
  });
  t.deepEqual(driver.sample(), { quality: "bad", reason: "sensor_fault" });
  t.deepEqual(errors, ["adc: adc busy"]);
});

test("configure rejects bad settings with the field's name and keeps the old ones", (t) => {
  const { driver, process } = setup(7);
  t.throws(() => driver.configure({ vref: 0 }), { instanceOf: RangeError, message: "vref must be above 0 and at most 10 V, got 0" });
  t.throws(() => driver.configure({ oversample: 17 }), { instanceOf: RangeError, message: "oversample must be 1..16, got 17" });
  t.throws(() => driver.configure({ shunt: -1 }), { instanceOf: RangeError });
  process.value = 7;
  t.true(Math.abs(driver.sample().value! - 7) < 0.004);
});

test("close releases the pin", (t) => {
  const { pins, driver } = setup();
  driver.close();
  t.notThrows(() => new (pins.analogClass())({ pin: 34 }));
});
