import test from "ava";
import type { ChannelConfig } from "../../modules/config/node-config.js";
import { Counters } from "../../modules/counters.js";
import { Channels, REOPEN_AFTER, type QualityChange, type Reading } from "../../modules/io/channels.js";
import { SHT3xModel, type Climate } from "../../modules/io/models/sht3x-model.js";
import { simulatedBoard } from "../../modules/io/models/simulated-board.js";
import { syntheticClimate } from "../../modules/io/models/synthetic-climate.js";
import { SENSOR_TYPES } from "../../modules/io/sensor-registry.js";
import { defineSensorType, type Measurement, type SensorType } from "../../modules/io/sensor-type.js";
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
function setup(configs: ChannelConfig[], seed = 7, types?: Record<string, SensorType>) {
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
  const channels = new Channels(platform, new Logger(platform), counters, configs, types ? { types: { ...SENSOR_TYPES, ...types } } : {});
  const readings: Reading[] = [];
  const changes: QualityChange[] = [];
  channels.watchQuality((change) => void changes.push(change));
  const start = () => channels.start((reading) => readings.push(reading));
  const show = (r: Reading) => `${r.channel}@${r.at} ${r.quality}${r.reason ? `:${r.reason}` : ""}`;
  return { timers, board, opened, logs, counters, channels, readings, changes, start, show };
}

test("each channel gives one good reading per interval, stamped with the time it was taken", (t) => {
  const { timers, readings, start, counters } = setup([temp, { ...rh, intervalMs: 1500 }]);
  start();
  timers.advance(3000);
  t.deepEqual(readings.filter((r) => r.channel === "temp").map((r) => `${r.at} ${r.unit} ${r.quality}`), ["1000 Cel good", "2000 Cel good", "3000 Cel good"]);
  t.deepEqual(readings.filter((r) => r.channel === "rh").map((r) => `${r.at} ${r.unit} ${r.quality}`), ["1500 %RH good", "3000 %RH good"]);
  t.is(counters.get("samples"), 5);
  t.is(counters.get("sensor_faults"), 0);
});

test("readings are the chip's climate within one LSB", (t) => {
  const { timers, readings, start } = setup([temp, rh], 7);
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
    t.true(Math.abs(reading.value! - expected[i]) <= lsb, `${reading.channel}@${reading.at}: ${reading.value} vs ${expected[i]}`);
  });
});

test("scale and offset apply to the value: 2 × temperature + 10", (t) => {
  const { timers, readings, start, board } = setup([{ ...temp, scale: 2, offset: 10 }]);
  board.bus.attach(0x44, new SHT3xModel(() => ({ temperature: 20, humidity: 50 })));
  start();
  timers.advance(1000);
  t.true(Math.abs(readings[0].value! - 50) <= 2 * T_LSB);
});

test("two channels on one chip open it once; channels on different chips open each once", (t) => {
  const one = setup([temp, rh]);
  one.start();
  one.timers.advance(5000);
  t.deepEqual(one.opened, [{ address: 0x44, hz: 100_000, data: 21, clock: 22 }]);
  const two = setup([temp, { ...temp, name: "temp2", address: 0x45 }]);
  two.board.bus.attach(0x45, new SHT3xModel(() => ({ temperature: 5, humidity: 90 })));
  two.start();
  two.timers.advance(2000);
  t.deepEqual(two.opened.map((o) => o.address), [0x44, 0x45]);
  t.deepEqual(two.readings.map((r) => r.channel), ["temp", "temp2", "temp", "temp2"]);
});

test("a chip that stops answering gives bad:nack readings without a value, one event per change; a channel on another chip goes on", (t) => {
  const other: Climate = { temperature: 5, humidity: 90 };
  const { timers, board, readings, start, counters, channels, logs, changes, show } = setup([temp, rh, { ...temp, name: "outside", address: 0x45 }]);
  board.bus.attach(0x45, new SHT3xModel(() => other));
  start();
  timers.advance(1000);
  board.sht3x.faults.absent = true;
  timers.advance(2000);
  t.deepEqual(readings.map(show), [
    "temp@1000 good", "rh@1000 good", "outside@1000 good",
    "temp@2000 bad:nack", "rh@2000 bad:nack", "outside@2000 good",
    "temp@3000 bad:nack", "rh@3000 bad:nack", "outside@3000 good",
  ]);
  t.true(readings.filter((r) => r.quality === "bad").every((r) => r.value === undefined));
  t.is(counters.get("sensor_faults"), 4);
  t.is(counters.get("samples"), 5);
  t.deepEqual(changes.map((c) => `${c.channel} ${c.from}->${c.to}:${c.reason} ${c.message}`), ["temp good->bad:nack i2c: NACK", "rh good->bad:nack i2c: NACK"]);
  t.deepEqual(logs, ["warn [2.000] WARN io: temp: quality good -> bad:nack (i2c: NACK)", "warn [2.000] WARN io: rh: quality good -> bad:nack (i2c: NACK)"]);
  const states = channels.list();
  t.deepEqual(
    states.map(({ name, faults, lastFault, quality, reason }) => ({ name, faults, lastFault, quality, reason })),
    [
      { name: "temp", faults: 2, lastFault: "i2c: NACK", quality: "bad", reason: "nack" },
      { name: "rh", faults: 2, lastFault: "i2c: NACK", quality: "bad", reason: "nack" },
      { name: "outside", faults: 0, lastFault: undefined, quality: "good", reason: undefined },
    ],
  );
});

test("a corrupted temperature word makes the temperature channel bad:crc only; the chip is not re-opened for it", (t) => {
  const { timers, board, readings, start, counters, show, opened } = setup([temp, rh]);
  board.sht3x.faults.corruptTemperature = true;
  start();
  timers.advance(5000);
  t.deepEqual(readings.slice(0, 4).map(show), ["temp@1000 bad:crc", "rh@1000 good", "temp@2000 bad:crc", "rh@2000 good"]);
  t.is(counters.get("sensor_faults"), 5);
  t.is(opened.length, 1);
});

test("an absent chip: every open that fails closes its bus, and opens back off 1, 2, 4 ... s (the bus leak of issue 8)", (t) => {
  const { timers, board, start, counters, readings } = setup([temp]);
  board.bus.detach(0x44);
  start();
  timers.advance(60_000);
  // Before: the driver opened the bus on every sample (61 in 60 s) and never closed it.
  t.is(board.bus.handles.opened, board.bus.handles.closed, "every bus opened was closed");
  // Opens at 0, 1, 3, 7, 15, 31 s (delays 1, 2, 4, 8, 16 s), the next at 63 s.
  t.is(board.bus.handles.opened, 6);
  t.is(counters.get("sensor_open_failures"), 6);
  t.is(readings.length, 60);
  t.true(readings.every((r) => r.quality === "bad" && r.reason === "nack"));
});

test("backoff is capped (60 s by default) and resets after a good sample", (t) => {
  const { timers, board, start, readings, counters } = setup([temp]);
  board.bus.detach(0x44);
  start();
  timers.advance(600_000);
  // 0, 1, 3, 7, 15, 31, 63, 127 (cap 60 s from here) 187, 247, 307, 367, 427, 487, 547: 15 opens.
  t.is(board.bus.handles.opened, 15);
  board.bus.attach(0x44, board.sht3x);
  timers.advance(60_000);
  t.is(readings.at(-1)?.quality, "good");
  t.true(counters.get("sensor_reopens") >= 1);
});

test("recovery: readings come back by themselves when the chip answers again", (t) => {
  const { timers, board, readings, start, changes, show } = setup([temp]);
  start();
  timers.advance(1000);
  board.sht3x.faults.absent = true;
  timers.advance(3000);
  board.sht3x.faults.absent = false;
  timers.advance(6000);
  t.is(readings.at(-1)?.quality, "good");
  t.deepEqual(changes.map((c) => `${c.from}->${c.to}`), ["good->bad", "bad->good"]);
  t.true(readings.map(show).includes("temp@2000 bad:nack"));
});

test(`a chip that lost power comes back idle: after ${REOPEN_AFTER} silent samples it is re-opened and readings resume`, (t) => {
  const { timers, board, readings, start, counters, opened } = setup([temp]);
  start();
  timers.advance(2000);
  board.sht3x.powerCycle();
  timers.advance(3000);
  t.deepEqual(readings.slice(2).map((r) => r.quality), ["bad", "bad", "bad"]);
  timers.advance(2000);
  t.is(readings.at(-1)?.quality, "good", "re-opened: soft reset and periodic mode were sent again");
  t.is(counters.get("sensor_reopens"), 1);
  t.is(opened.length, 2);
});

test("an unknown sensor type gives bad readings, not a crash; the others go on", (t) => {
  const bogus: ChannelConfig = { name: "co2", type: "scd99", measure: "co2", address: 0x62, intervalMs: 1000, unit: "ppm" };
  const { timers, readings, start, channels, show } = setup([bogus, temp]);
  t.notThrows(() => {
    start();
    timers.advance(2000);
  });
  t.deepEqual(readings.map(show), ["co2@1000 bad:sensor_fault", "temp@1000 good", "co2@2000 bad:sensor_fault", "temp@2000 good"]);
  t.is(channels.list()[0].lastFault, 'open failed: unknown sensor type "scd99"');
});

const scripted = (values: () => Record<string, number | Measurement> | undefined): SensorType =>
  defineSensorType({ name: "scripted", help: "test", quantities: { level: { unit: "m", resolution: 0.01 } }, fields: {}, chip: [], open: () => ({ sample: values, close() {} }) });

test("a driver's Measurement keeps its quality: uncertain keeps the value, bad drops it; NaN or a missing quantity is bad", (t) => {
  const script: (number | Measurement | undefined)[] = [
    { value: 21, quality: "uncertain", reason: "over_range" },
    { value: 3, quality: "bad", reason: "open_loop" },
    NaN,
    undefined,
    { value: 2, quality: "good" },
    { quality: "uncertain", reason: "under_range" },
    { value: 1, quality: "bad", reason: "bogus" as never },
  ];
  let i = 0;
  const config: ChannelConfig = { name: "level", type: "scripted", measure: "level", intervalMs: 1000, unit: "m" };
  const { timers, readings, start } = setup([config], 7, { scripted: scripted(() => (script[i] === undefined ? (i++, {}) : { level: script[i++]! }) as Record<string, number | Measurement>) });
  start();
  timers.advance(7000);
  t.deepEqual(readings.map((r) => [r.quality, r.reason, r.value]), [
    ["uncertain", "over_range", 21],
    ["bad", "open_loop", undefined],
    ["bad", "sensor_fault", undefined],
    ["bad", "sensor_fault", undefined],
    ["good", undefined, 2],
    ["bad", "under_range", undefined],
    ["bad", "sensor_fault", undefined],
  ]);
});

test("a sensor whose sample() throws is bad, counted, and does not stop the loop", (t) => {
  const config: ChannelConfig = { name: "level", type: "scripted", measure: "level", intervalMs: 1000, unit: "m" };
  const { timers, readings, start } = setup([config, temp], 7, { scripted: scripted(() => { throw new Error("bus timeout"); }) });
  start();
  timers.advance(2000);
  t.deepEqual(readings.map((r) => `${r.channel} ${r.quality}:${r.reason}`), ["level bad:timeout", "temp good:undefined", "level bad:timeout", "temp good:undefined"]);
});

test("readings fan out to every subscriber; one that throws is counted and the others still get them; at most 8", (t) => {
  const { timers, channels, start, counters, readings } = setup([temp]);
  const second: Reading[] = [];
  channels.subscribe(() => {
    throw new Error("consumer bug");
  });
  const unsubscribe = channels.subscribe((r) => void second.push(r));
  start();
  timers.advance(2000);
  t.is(second.length, 2);
  t.is(readings.length, 2);
  t.is(counters.get("observer_errors"), 2);
  unsubscribe();
  timers.advance(1000);
  t.is(second.length, 2);
  for (let i = 0; i < 6; i++) channels.subscribe(() => {});
  t.throws(() => channels.subscribe(() => {}), { instanceOf: RangeError, message: "at most 8 observers" });
});

test("read() samples one channel now; an unknown channel is undefined", (t) => {
  const { timers, channels, counters, start } = setup([temp]);
  start();
  timers.advance(250);
  const reading = channels.read("temp");
  t.is(reading?.quality, "good");
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
  t.is(board.bus.handles.opened, board.bus.handles.closed);
});

const power = (expr: string, extra: Partial<ChannelConfig> = {}): ChannelConfig => ({ name: "power", type: "computed", measure: "value", intervalMs: 1000, unit: "W", fields: { expr }, ...extra });

test("a computed channel is evaluated once per instant its inputs update, from their latest values", (t) => {
  const { timers, readings, start, board } = setup([temp, rh, power("temp * rh / 10")]);
  board.bus.attach(0x44, new SHT3xModel(() => ({ temperature: 20, humidity: 50 })));
  start();
  timers.advance(3000);
  const computed = readings.filter((r) => r.channel === "power");
  t.deepEqual(computed.map((r) => `${r.at} ${r.quality} ${r.unit}`), ["1000 good W", "2000 good W", "3000 good W"]);
  t.true(Math.abs(computed[0].value! - 100) < 0.01);
});

test("a computed channel's quality is the worst of its inputs; a bad input gives bad:input, never a number", (t) => {
  const { timers, readings, start, board, changes } = setup([temp, rh, power("temp + rh")]);
  start();
  timers.advance(1000);
  board.sht3x.faults.corruptTemperature = true;
  timers.advance(1000);
  const computed = readings.filter((r) => r.channel === "power");
  t.deepEqual(computed.map((r) => [r.quality, r.reason, typeof r.value]), [["good", undefined, "number"], ["bad", "input", "undefined"]]);
  t.true(changes.some((c) => c.channel === "power" && c.to === "bad" && c.reason === "input"));
});

test("a computed channel: division by zero is bad:sensor_fault; an input gone silent goes stale", (t) => {
  const level: ChannelConfig = { name: "level", type: "scripted", measure: "level", intervalMs: 1000, unit: "m" };
  let value = 0;
  const { timers, readings, start, channels } = setup([level, power("1 / level")], 7, { scripted: scripted(() => ({ level: value })) });
  start();
  timers.advance(1000);
  t.deepEqual(readings.filter((r) => r.channel === "power").map((r) => `${r.quality}:${r.reason}`), ["bad:sensor_fault"]);
  value = 4;
  timers.advance(1000);
  t.is(readings.at(-1)?.value, 0.25);
  channels.stop();
  timers.advance(5000);
  t.deepEqual(channels.read("power"), { channel: "power", unit: "W", at: 7000, quality: "bad", reason: "stale" });
});

test("a BME280 channel on the simulated board reports pressure in Pa, and shares the chip with its temperature channel", (t) => {
  const pressure: ChannelConfig = { name: "baro", type: "bme280", measure: "pressure", intervalMs: 1000, unit: "Pa", fields: { address: 0x76 } };
  const { timers, readings, start, board } = setup([pressure, { ...pressure, name: "t2", measure: "temperature", unit: "Cel" }]);
  start();
  timers.advance(2000);
  t.deepEqual(readings.map((r) => `${r.channel} ${r.quality} ${r.unit}`), ["baro good Pa", "t2 good Cel", "baro good Pa", "t2 good Cel"]);
  t.true(Math.abs(readings[0].value! - 101_325) < 500);
  t.is(board.bus.handles.opened, 1, "the BME280 opened once for both channels");
});

test("back-off options that cannot work are refused when the sensors start (the back-off itself is made at a sensor's first failure)", (t) => {
  const timers = new FakeTimers();
  const board = simulatedBoard(() => timers.monotonic(), 7);
  const platform = { clock: timers, timers, io: board.io, log: () => {} } as unknown as Platform;
  const channels = new Channels(platform, new Logger(platform), new Counters(), [temp], { backoff: { baseMs: 0 } });
  t.throws(() => channels.start(), { instanceOf: RangeError, message: /baseMs must be positive/ });
});

test("after a good sample a failing chip's re-open delay starts again from the base", (t) => {
  const { timers, board, start, counters } = setup([temp]);
  start();
  timers.advance(1000);
  for (let round = 0; round < 2; round++) {
    const opensBefore = counters.get("sensor_opens");
    board.bus.detach(0x44);
    // REOPEN_AFTER silent samples close it; then re-opens after 1, 2, 4 s (jitter-free back-off from 1 s).
    timers.advance(REOPEN_AFTER * 1000 + 7000);
    t.is(counters.get("sensor_opens") - opensBefore, 3, `round ${round}`);
    board.bus.attach(0x44, board.sht3x);
    timers.advance(10_000);
  }
});
