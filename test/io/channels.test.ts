import test from "ava";
import type { ChannelConfig } from "../../modules/config/node-config.js";
import { Counters } from "../../modules/counters.js";
import { Channels, type Reading } from "../../modules/io/channels.js";
import { SHT3xModel, type Climate } from "../../modules/io/models/sht3x-model.js";
import { simulatedBoard } from "../../modules/io/models/simulated-board.js";
import { syntheticClimate } from "../../modules/io/models/synthetic-climate.js";
import { SENSOR_TYPES } from "../../modules/io/sensor-registry.js";
import { Logger } from "../../modules/log.js";
import type { I2CBus, I2COptions, LogLevel, Platform } from "../../modules/platform.js";
import { FakeTimers } from "../helpers/fake-timers.js";

const T_LSB = 175 / 65535;

const temp: ChannelConfig = { name: "temp", type: "sht3x", measure: "temperature", address: 0x44, intervalMs: 1000, unit: "Cel" };
const rh: ChannelConfig = { name: "rh", type: "sht3x", measure: "humidity", address: 0x44, intervalMs: 1000, unit: "%RH" };

/**
 * Channels on the simulated board with fake time, a logger on a platform
 * stub, and counters; I2C opens are counted. Returns the readings as they come.
 */
function setup(configs: ChannelConfig[], seed = 7) {
  const timers = new FakeTimers();
  const board = simulatedBoard(() => timers.monotonic(), seed);
  const opened: I2COptions[] = [];
  const BoardI2C = board.io.I2C;
  const CountingI2C = class {
    constructor(options: I2COptions) {
      opened.push({ ...options });
      return new BoardI2C(options);
    }
  } as unknown as new (options: I2COptions) => I2CBus;
  const logs: string[] = [];
  const platform = {
    clock: timers,
    timers,
    io: { ...board.io, I2C: CountingI2C },
    log: (level: LogLevel, line: string) => void logs.push(`${level} ${line}`),
  } as unknown as Platform;
  const counters = new Counters();
  const channels = new Channels(platform, new Logger(platform), counters, configs);
  const readings: Reading[] = [];
  const start = () => channels.start((reading) => readings.push(reading));
  return { timers, board, opened, logs, counters, channels, readings, start };
}

test("each channel gives one reading per interval, stamped with the time it was taken", (t) => {
  const { timers, readings, start, counters } = setup([temp, { ...rh, intervalMs: 1500 }]);
  start();
  timers.advance(3000);
  // Per channel: which of the two fires first at 3000 is the timers' business.
  t.deepEqual(readings.filter((r) => r.channel === "temp").map((r) => `${r.at} ${r.unit}`), ["1000 Cel", "2000 Cel", "3000 Cel"]);
  t.deepEqual(readings.filter((r) => r.channel === "rh").map((r) => `${r.at} ${r.unit}`), ["1500 %RH", "3000 %RH"]);
  t.is(counters.get("samples"), 5);
  t.is(counters.get("sensor_faults"), 0);
});

test("readings are the chip's climate within one LSB", (t) => {
  const { timers, readings, start } = setup([temp, rh], 7);
  // The same synthetic climate, asked in the same order (one fetch per channel read).
  const reference = syntheticClimate(() => timers.monotonic(), 7);
  const expected: number[] = [];
  start();
  for (let second = 1; second <= 5; second++) {
    timers.advance(1000);
    const forTemp = reference();
    const forRh = reference();
    expected.push(forTemp.temperature, forRh.humidity);
  }
  t.is(readings.length, 10);
  readings.forEach((reading, i) => {
    const lsb = reading.unit === "Cel" ? T_LSB : 100 / 65535;
    t.true(Math.abs(reading.value - expected[i]) <= lsb, `${reading.channel}@${reading.at}: ${reading.value} vs ${expected[i]}`);
  });
});

test("two channels on one chip open it once", (t) => {
  const { timers, opened, start } = setup([temp, rh]);
  start();
  timers.advance(5000);
  t.deepEqual(opened, [{ address: 0x44, hz: 100_000, data: 21, clock: 22 }]);
});

test("channels on different chips open each once", (t) => {
  const { timers, board, opened, start, readings } = setup([temp, { ...temp, name: "temp2", address: 0x45 }]);
  board.bus.attach(0x45, new SHT3xModel(() => ({ temperature: 5, humidity: 90 })));
  start();
  timers.advance(2000);
  t.deepEqual(opened.map((o) => o.address), [0x44, 0x45]);
  t.deepEqual(readings.map((r) => r.channel), ["temp", "temp2", "temp", "temp2"]);
});

test("a faulty chip counts faults and logs them while a channel on another chip goes on", (t) => {
  const other: Climate = { temperature: 5, humidity: 90 };
  const { timers, board, readings, start, counters, channels, logs } = setup([temp, rh, { ...temp, name: "outside", address: 0x45 }]);
  board.bus.attach(0x45, new SHT3xModel(() => other));
  start();
  timers.advance(1000);
  board.sht3x.faults.absent = true;
  timers.advance(2000);
  t.deepEqual(
    readings.map((r) => `${r.channel}@${r.at}`),
    ["temp@1000", "rh@1000", "outside@1000", "outside@2000", "outside@3000"],
  );
  t.is(counters.get("sensor_faults"), 4);
  t.is(counters.get("samples"), 5);
  t.deepEqual(logs, [
    "warn [2.000] WARN io: temp: i2c: NACK",
    "warn [2.000] WARN io: rh: i2c: NACK",
    "warn [3.000] WARN io: temp: i2c: NACK",
    "warn [3.000] WARN io: rh: i2c: NACK",
  ]);
  const states = channels.list();
  t.deepEqual(
    states.map(({ name, faults, lastFault }) => ({ name, faults, lastFault })),
    [
      { name: "temp", faults: 2, lastFault: "i2c: NACK" },
      { name: "rh", faults: 2, lastFault: "i2c: NACK" },
      { name: "outside", faults: 0, lastFault: undefined },
    ],
  );
  t.true(Math.abs(states[2].last! - 5) <= T_LSB);
});

test("a corrupted temperature word faults the temperature channel only", (t) => {
  const { timers, board, readings, start, counters, channels, logs } = setup([temp, rh]);
  board.sht3x.faults.corruptTemperature = true;
  start();
  timers.advance(2000);
  t.deepEqual(readings.map((r) => r.channel), ["rh", "rh"]);
  t.is(counters.get("sensor_faults"), 2);
  t.deepEqual(channels.list().map((s) => [s.name, s.faults, s.lastFault]), [["temp", 2, "temperature CRC mismatch"], ["rh", 0, undefined]]);
  t.deepEqual(logs, ["warn [1.000] WARN io: temp: temperature CRC mismatch", "warn [2.000] WARN io: temp: temperature CRC mismatch"]);
});

test("recovery: readings come back when the fault clears, the fault count stays", (t) => {
  const { timers, board, readings, start, counters, channels } = setup([temp]);
  start();
  timers.advance(1000);
  board.sht3x.faults.absent = true;
  timers.advance(3000);
  board.sht3x.faults.absent = false;
  timers.advance(2000);
  t.deepEqual(readings.map((r) => r.at), [1000, 5000, 6000]);
  t.is(counters.get("sensor_faults"), 3);
  const [state] = channels.list();
  t.is(state.faults, 3);
  t.true(Number.isFinite(state.last));
});

test("a chip that lost power comes back idle: after three failures in a row the sensor is re-opened and readings resume", (t) => {
  const { timers, board, readings, start, counters, opened } = setup([temp]);
  start();
  timers.advance(2000);
  t.is(readings.length, 2);
  board.sht3x.powerCycle();
  timers.advance(3000);
  t.is(readings.length, 2, "an idle chip refuses fetches");
  t.is(counters.get("sensor_reopens"), 1);
  timers.advance(1000);
  t.is(readings.length, 3, "re-opened: soft reset and periodic mode were sent again");
  t.is(opened.length, 2);
});

test("the sensor is opened at start, so the first sample already finds a conversion", (t) => {
  const { timers, readings, start, opened, counters } = setup([temp, rh]);
  start();
  t.is(opened.length, 1);
  timers.advance(1000);
  t.is(readings.length, 2);
  t.is(counters.get("sensor_faults"), 0);
});

test("an unknown sensor type is a fault on every sample, not a crash; the others go on", (t) => {
  const bogus: ChannelConfig = { name: "co2", type: "scd99", measure: "co2", address: 0x62, intervalMs: 1000, unit: "ppm" };
  const { timers, readings, start, counters, channels, logs } = setup([bogus, temp]);
  t.notThrows(() => {
    start();
    timers.advance(2000);
  });
  t.deepEqual(readings.map((r) => r.channel), ["temp", "temp"]);
  t.is(counters.get("sensor_faults"), 2);
  t.deepEqual(channels.list()[0], { name: "co2", unit: "ppm", faults: 2, lastFault: 'open failed: unknown sensor type "scd99"' });
  t.is(logs[0], 'warn [1.000] WARN io: co2: open failed: unknown sensor type "scd99"');
});

test("a chip missing at open is retried on each sample and opens once it answers", (t) => {
  const { timers, board, readings, start, channels, opened } = setup([temp]);
  board.bus.detach(0x44);
  start();
  timers.advance(2000);
  t.deepEqual(channels.list()[0].lastFault, "open failed: NACK at address 0x44");
  t.is(channels.list()[0].faults, 2);
  board.bus.attach(0x44, board.sht3x);
  timers.advance(1000);
  t.deepEqual(readings.map((r) => r.at), [3000]);
  t.is(opened.length, 4, "a failed open at start, two on the samples, then one that stays open");
  timers.advance(2000);
  t.is(opened.length, 4);
});

test("a quantity the sensor does not have, or a NaN, is a fault", (t) => {
  SENSOR_TYPES["test-nan"] = {
    measures: { level: { unit: "m" } },
    open: () => ({ sample: () => ({ level: NaN }), close() {} }),
  };
  t.teardown(() => delete SENSOR_TYPES["test-nan"]);
  const { timers, start, channels, readings } = setup([
    { name: "level", type: "test-nan", measure: "level", pin: 4, intervalMs: 1000, unit: "m" },
    { ...temp, name: "pressure", measure: "pressure" },
  ]);
  start();
  timers.advance(1000);
  t.deepEqual(readings, []);
  t.deepEqual(channels.list().map((s) => s.lastFault), ["no level value", "no pressure value"]);
});

test("read() samples one channel now; an unknown channel is undefined and no fault", (t) => {
  const { timers, channels, counters, start } = setup([temp]);
  start();
  timers.advance(250);
  const reading = channels.read("temp");
  t.is(reading?.channel, "temp");
  t.is(reading?.at, 250);
  t.is(channels.read("nope"), undefined);
  t.is(counters.get("sensor_faults"), 0);
});

test("list() gives copies: changing one does not change the channel", (t) => {
  const { channels, start } = setup([temp]);
  start();
  channels.list()[0].faults = 99;
  t.is(channels.list()[0].faults, 0);
});

test("stop() ends sampling and closes each sensor once (the chip leaves periodic mode)", (t) => {
  const { timers, board, readings, start, channels } = setup([temp, rh]);
  const commands: string[] = [];
  const chip = board.sht3x;
  board.bus.attach(0x44, {
    write: (bytes) => (commands.push(Buffer.from(bytes).toString("hex")), chip.write(bytes)),
    read: (n) => chip.read(n),
  });
  start();
  timers.advance(1000);
  channels.stop();
  t.is(timers.pending, 0);
  timers.advance(5000);
  t.is(readings.length, 2);
  t.deepEqual(commands.filter((c) => c === "3093"), ["3093"]);
});
