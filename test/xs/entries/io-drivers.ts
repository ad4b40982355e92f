/**
 * Guest entry: the issue 8 drivers (ADS1115, ESP32-ADC transmitter,
 * MAX31855, digital input, pulse counter) against their chip models on a
 * simulated board, in virtual time, inside XS. "run" returns what each
 * driver sampled (a second "run" is a reboot on the same flash);
 * "channels" configures channels of the new sensor types as the console
 * would and returns the last reading of each.
 */
import type { XsGuest } from "../../helpers/xs.js";
import { FakeTimers } from "../../helpers/fake-timers.js";
import { MemoryStorage } from "../../helpers/memory-platform.js";
import { seededRandom } from "../../helpers/seeded-random.js";
import ADS1115 from "../../../modules/io/drivers/ads1115.js";
import AnalogTransmitter from "../../../modules/io/drivers/analog-transmitter.js";
import DigitalInput from "../../../modules/io/drivers/digital-input.js";
import MAX31855 from "../../../modules/io/drivers/max31855.js";
import PulseCounter from "../../../modules/io/drivers/pulse-counter.js";
import { checkScaling, scaleTransmitter } from "../../../modules/io/drivers/transmitter-scaling.js";
import { counterKey } from "../../../modules/io/counter-store.js";
import { ConfigService } from "../../../modules/config/config-service.js";
import { Counters } from "../../../modules/counters.js";
import { Channels, type Reading } from "../../../modules/io/channels.js";
import { Logger } from "../../../modules/log.js";
import type { Platform } from "../../../modules/platform.js";
import { placeADS1115, placeContact, placeMAX31855, placePulseMeter, placeTransmitter, simulatedBoard } from "../../../modules/io/models/index.js";

declare const xsHarness: XsGuest;

const storage = new MemoryStorage();

function boot(seconds: number) {
  const time = new FakeTimers();
  const board = simulatedBoard(() => time.monotonic(), 5);
  const random = seededRandom(5);
  const wiring = { signal: "4-20mA" as const, rangeLow: 0, rangeHigh: 10, shunt: 250, divider: 1 };
  const adc = placeADS1115(board);
  const loop = placeTransmitter(board, { adc, ain: 0 }, () => 7.5, wiring, random);
  placeTransmitter(board, { pin: 34 }, () => 2.5, { ...wiring, shunt: 150 }, random);
  const tcChip = placeMAX31855(board, 5, () => ({ thermocouple: 100.75, internal: 25 }), random);
  placePulseMeter(board, 4, () => 1000);
  const contact = { level: 1 };
  placeContact(board, 27, () => contact.level);
  const now = () => time.monotonic();
  const ads = new ADS1115({ sensor: { io: board.io.I2C, ...board.io.i2cDefault } });
  ads.configure({ fsr: 6.144 });
  const analog = new AnalogTransmitter({ sensor: { io: board.io.Analog, pin: 34 } });
  analog.configure({ shunt: 150, rangeHigh: 10 });
  const tc = new MAX31855({ sensor: { io: board.io.SPI!, clock: 18, in: 19, select: 5 } });
  const pulses = new PulseCounter({ sensor: { io: board.io.PulseCount, signal: 4 }, now, timers: time, storage, key: counterKey("p", "flow") });
  pulses.configure({ pulsesPerUnit: 100 });
  const input = new DigitalInput({ sensor: { io: board.io.Digital, pin: 27 }, now, timers: time, storage, key: counterKey("d", "run") });
  input.configure({ pollMs: 50 });
  time.advance(seconds * 1000);
  const result = {
    ads: scaleTransmitter(ads.sample().ain[0]!.value!, checkScaling(wiring)),
    analog: analog.sample(),
    tc: tc.sample(),
    pulses: pulses.sample(),
    input: input.sample(),
    open: undefined as unknown,
    short: undefined as unknown,
    tcOpen: undefined as unknown,
  };
  loop.faults.open = true;
  time.advance(20);
  ads.sample();
  time.advance(20);
  result.open = ads.sample().ain[0];
  tcChip.faults.open = true;
  result.tcOpen = tc.sample().thermocouple;
  for (const driver of [ads, analog, tc, pulses, input]) driver.close();
  return result;
}

xsHarness.on("run", (seconds: number) => boot(seconds));

xsHarness.on("channels", (settings: [string, string][]) => {
  const flash = new MemoryStorage();
  const service = new ConfigService(flash, "xs");
  for (const [key, value] of settings) service.set(key, value);
  service.save();
  const configs = new ConfigService(flash, "xs").resolved().channels.filter((c) => c.type !== "sht3x");
  const time = new FakeTimers();
  const board = simulatedBoard(() => time.monotonic(), 9);
  const random = seededRandom(9);
  const wiring = { signal: "4-20mA" as const, rangeLow: 0, rangeHigh: 10, shunt: 250, divider: 1 };
  placeTransmitter(board, { adc: placeADS1115(board), ain: 2 }, () => 2.5, wiring, random);
  placeTransmitter(board, { pin: 35 }, () => 1, { ...wiring, shunt: 150 }, random).faults.open = true;
  placeMAX31855(board, 5, () => ({ thermocouple: -250, internal: -20 }), random);
  placePulseMeter(board, 14, () => 20); // the pulse type's default pin
  placeContact(board, 27, () => 1);
  const platform = { clock: time, timers: time, io: board.io, storage: flash, log: () => {} } as unknown as Platform;
  const channels = new Channels(platform, new Logger(platform), new Counters(), configs);
  const last: Record<string, Reading> = {};
  channels.start((reading) => {
    last[reading.channel] = reading;
  });
  time.advance(10_000);
  channels.stop();
  return last;
});
