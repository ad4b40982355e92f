import test from "ava";
import ADS1115 from "../../../modules/io/drivers/ads1115.js";
import AnalogTransmitter from "../../../modules/io/drivers/analog-transmitter.js";
import MAX31855 from "../../../modules/io/drivers/max31855.js";
import PulseCounter from "../../../modules/io/drivers/pulse-counter.js";
import DigitalInput from "../../../modules/io/drivers/digital-input.js";
import { placeADS1115, placeContact, placeMAX31855, placePulseMeter, placeTransmitter, simulatedBoard } from "../../../modules/io/models/index.js";
import { FakeTimers } from "../../helpers/fake-timers.js";
import { seededRandom } from "../../helpers/seeded-random.js";

test("a profile-like board: each placed model answers its driver through the board's own io", (t) => {
  const time = new FakeTimers();
  const board = simulatedBoard(() => time.monotonic(), 3);
  const random = seededRandom(3);
  const wiring = { signal: "4-20mA" as const, rangeLow: 0, rangeHigh: 10, shunt: 250, divider: 1 };
  const adc = placeADS1115(board, 0x49);
  placeTransmitter(board, { adc, ain: 1 }, () => 6, wiring, random);
  placeTransmitter(board, { pin: 34 }, () => 2.5, { ...wiring, shunt: 150 }, random);
  placeMAX31855(board, 5, () => ({ thermocouple: 350.25, internal: 31.5 }), random);
  placePulseMeter(board, 4, () => 12);
  placeContact(board, 27, () => 1);

  const ads = new ADS1115({ sensor: { io: board.io.I2C, ...board.io.i2cDefault, address: 0x49 } });
  ads.configure({ inputs: [1], fsr: 6.144 });
  const analog = new AnalogTransmitter({ sensor: { io: board.io.Analog, pin: 34 } });
  analog.configure({ shunt: 150, rangeHigh: 10 });
  const tc = new MAX31855({ sensor: { io: board.io.SPI!, clock: 18, in: 19, select: 5 } });
  const pulses = new PulseCounter({ sensor: { io: board.io.PulseCount, signal: 4 }, now: () => time.monotonic(), timers: time });
  const contact = new DigitalInput({ sensor: { io: board.io.Digital, pin: 27 }, now: () => time.monotonic(), timers: time });

  time.advance(10_000);
  // 6 bar of 0..10 is 13.6 mA = 3.4 V over 250 ohm.
  t.true(Math.abs(ads.sample().ain[1]!.value! - 3.4) < 0.001);
  t.true(Math.abs(analog.sample().value! - 2.5) < 0.01);
  t.deepEqual(tc.sample().thermocouple, { value: 350.25, quality: "good" });
  t.is(pulses.sample().count.value, 120);
  t.is(contact.sample().state.value, 1);
  for (const driver of [ads, analog, tc, pulses, contact]) driver.close();
});
