import test from "ava";
import { ConfigService } from "../../../modules/config/config-service.js";
import type { ChannelConfig } from "../../../modules/config/node-config.js";
import { Counters } from "../../../modules/counters.js";
import { Channels, type Reading } from "../../../modules/io/channels.js";
import { placeADS1115, placeContact, placeMAX31855, placePulseMeter, placeTransmitter, simulatedBoard } from "../../../modules/io/models/index.js";
import { Logger } from "../../../modules/log.js";
import type { LogLevel, Platform } from "../../../modules/platform.js";
import { consoleRig } from "../../helpers/console-rig.js";
import { FakeTimers } from "../../helpers/fake-timers.js";
import { MemoryStorage } from "../../helpers/memory-platform.js";
import { seededRandom } from "../../helpers/seeded-random.js";

/** Channels from console-style settings, on a simulated board in virtual time, on `storage`. */
function rig(settings: [string, string][], storage = new MemoryStorage()) {
  const service = new ConfigService(storage, "t");
  for (const [key, value] of settings) service.set(key, value);
  service.save();
  // The running firmware works from the saved config, as after the restart that applies it.
  const configs: ChannelConfig[] = new ConfigService(storage, "t").resolved().channels.filter((c) => c.type !== "sht3x");
  const timers = new FakeTimers();
  const board = simulatedBoard(() => timers.monotonic(), 3);
  const platform = { clock: timers, timers, io: board.io, storage, log: (_l: LogLevel, _s: string) => {} } as unknown as Platform;
  const channels = new Channels(platform, new Logger(platform), new Counters(), configs);
  const readings: Reading[] = [];
  const last = (name: string) => readings.filter((r) => r.channel === name).at(-1)!;
  return { timers, board, channels, readings, last, configs, start: () => channels.start((r) => void readings.push(r)) };
}

const WIRING = { signal: "4-20mA" as const, rangeLow: 0, rangeHigh: 10, shunt: 250, divider: 1 };

test("console: set ch.x.type for each new type fills its fields with defaults; bad values are refused naming the key", (t) => {
  const r = consoleRig();
  for (const type of ["analog", "ads1115", "max31855", "digital", "pulse"]) t.regex(r.run(`set ch.x${type}.type ${type}`), /OK\r\n$/, type);
  const shown = r.run("show");
  for (const line of ["ch.xads1115.address = 0x48", "ch.xads1115.shunt = 250", "ch.xanalog.shunt = 150", "ch.xpulse.pulses_per_unit = 1000", "ch.xdigital.debounce_ms = 50", "ch.xmax31855.select = 5"])
    t.true(shown.includes(line), line);
  t.regex(r.run("set ch.xads1115.input 4"), /^ERR bad-value ch.xads1115.input must be 0..3, got 4/);
  t.regex(r.run("set ch.xanalog.signal 4-20"), /^ERR bad-value ch.xanalog.signal must be one of 4-20mA, 0-10V/);
  t.regex(r.run("set ch.xpulse.measure rate"), /OK\r\n$/);
});

test("save refuses a range without span and a shunt whose 21 mA the ADC cannot read, naming the key", (t) => {
  const r = consoleRig();
  r.run("set ch.lvl.type analog");
  r.run("set ch.lvl.pin 35");
  r.run("set ch.lvl.shunt 250");
  r.run("set ch.lvl.range_low 5");
  r.run("set ch.lvl.range_high 5");
  const reply = r.run("save");
  t.regex(reply, /ch.lvl.range_low and ch.lvl.range_high must differ, both are 5/);
  t.regex(reply, /ch.lvl.shunt 250 ohm puts 21 mA at 5.25 V, above the ADC's vref 3.3 V/);
  t.regex(reply, /ERR /);
});

test("analog and ads1115 channels: scaled values, NE 43 qualities, two inputs of one ADS1115 share the chip", (t) => {
  const { board, start, timers, last } = rig([
    ["ch.tank.type", "analog"], ["ch.tank.range_high", "10"], ["ch.tank.unit", "m"],
    ["ch.press.type", "ads1115"], ["ch.press.input", "1"], ["ch.press.range_high", "10"], ["ch.press.unit", "Pa"],
    ["ch.flowv.type", "ads1115"], ["ch.flowv.input", "2"], ["ch.flowv.signal", "0-10V"], ["ch.flowv.divider", "2"], ["ch.flowv.range_high", "50"],
  ]);
  const random = seededRandom(1);
  placeTransmitter(board, { pin: 34 }, () => 4, { ...WIRING, shunt: 150 }, random);
  const adc = placeADS1115(board);
  const press = placeTransmitter(board, { adc, ain: 1 }, () => 7.5, WIRING, random);
  placeTransmitter(board, { adc, ain: 2 }, () => 20, { ...WIRING, signal: "0-10V", rangeHigh: 50, divider: 2 }, random);
  start();
  timers.advance(3000);
  t.is(last("tank").quality, "good");
  t.true(Math.abs(last("tank").value! - 4) < 0.01, `${last("tank").value}`);
  t.true(Math.abs(last("press").value! - 7.5) < 0.001, `${last("press").value}`);
  t.true(Math.abs(last("flowv").value! - 20) < 0.01, `${last("flowv").value}`);
  press.faults.open = true;
  timers.advance(3000);
  t.deepEqual([last("press").quality, last("press").reason, last("press").value], ["bad", "open_loop", undefined]);
  t.is(last("flowv").quality, "good", "the other input of the same chip is unaffected");
  press.faults.open = false;
  press.faults.short = true;
  timers.advance(3000);
  t.is(last("press").reason, "short");
});

test("max31855 channel: the temperature, and its fault bits as bad qualities", (t) => {
  const { board, start, timers, last } = rig([["ch.tc.type", "max31855"], ["ch.tc.select", "15"]]);
  const chip = placeMAX31855(board, 15, () => ({ thermocouple: 412.5, internal: 30 }), seededRandom(2));
  start();
  timers.advance(1000);
  t.deepEqual([last("tc").quality, last("tc").value, last("tc").unit], ["good", 412.5, "Cel"]);
  chip.faults.shortGnd = true;
  timers.advance(1000);
  t.deepEqual([last("tc").quality, last("tc").reason], ["bad", "short_gnd"]);
  chip.faults.shortGnd = false;
  chip.faults.shortVcc = true;
  timers.advance(1000);
  t.is(last("tc").reason, "short_vcc");
  chip.faults.shortVcc = false;
  chip.faults.open = true;
  timers.advance(1000);
  t.is(last("tc").reason, "open_loop");
});

test("pulse and digital channels: totaliser and running hours carry over a restart on the same flash", (t) => {
  const storage = new MemoryStorage();
  const settings: [string, string][] = [
    ["ch.water.type", "pulse"], ["ch.water.pin", "4"], ["ch.water.pulses_per_unit", "100"],
    ["ch.run.type", "digital"], ["ch.run.pin", "27"], ["ch.run.measure", "on_time"], ["ch.run.unit", "s"],
  ];
  const first = rig(settings, storage);
  placePulseMeter(first.board, 4, () => 50);
  placeContact(first.board, 27, () => 1);
  first.start();
  first.timers.advance(60_000);
  t.is(first.last("water").value, 30, "3000 pulses at 100 per m3");
  t.is(first.last("water").unit, "m3");
  t.true(Math.abs(first.last("run").value! - 60) < 0.5, `${first.last("run").value} s`);
  first.channels.stop();
  const second = rig(settings, storage);
  placePulseMeter(second.board, 4, () => 50);
  placeContact(second.board, 27, () => 1);
  second.start();
  second.timers.advance(60_000);
  t.is(second.last("water").value, 60);
  t.true(Math.abs(second.last("run").value! - 120) < 0.5, `${second.last("run").value} s`);
});

test("ads1115: channels on one chip share one bus handle, closed once when the last of them closes; a chip that never answers is bad nack", (t) => {
  const { board, start, timers, last, channels } = rig([
    ["ch.a.type", "ads1115"], ["ch.a.input", "0"],
    ["ch.b.type", "ads1115"], ["ch.b.input", "3"],
    ["ch.c.type", "ads1115"], ["ch.c.address", "0x49"],
  ]);
  placeADS1115(board);
  start();
  timers.advance(2000);
  t.is(board.bus.handles.opened, 2, "0x48 once for two channels, 0x49 once");
  t.deepEqual([last("c").quality, last("c").reason], ["bad", "nack"]);
  channels.stop();
  t.is(board.bus.handles.closed, 2);
});

test("max31855 on a board without SPI: bad no_io, and the node goes on", (t) => {
  const { board, start, timers, last } = rig([["ch.tc.type", "max31855"]]);
  delete (board.io as { SPI?: unknown }).SPI;
  start();
  timers.advance(1000);
  t.deepEqual([last("tc").quality, last("tc").reason], ["bad", "no_io"]);
});

test("ads1115: four channels on the four inputs of one chip, sampled at the same instant, all stay good", (t) => {
  const settings: [string, string][] = [];
  for (const input of [0, 1, 2, 3]) settings.push([`ch.in${input}.type`, "ads1115"], [`ch.in${input}.input`, String(input)], [`ch.in${input}.range_high`, "10"]);
  const { board, start, timers, readings } = rig(settings);
  const adc = placeADS1115(board);
  for (const input of [0, 1, 2, 3]) placeTransmitter(board, { adc, ain: input }, () => 2 + input, WIRING, seededRandom(input));
  start();
  timers.advance(5000);
  const later = readings.filter((r) => r.at > 2000);
  t.is(later.length, 12);
  t.deepEqual(later.filter((r) => r.quality !== "good").map((r) => `${r.channel}@${r.at} ${r.reason}`), []);
  for (const r of later) t.true(Math.abs(r.value! - (2 + Number(r.channel.slice(2)))) < 0.001, `${r.channel} ${r.value}`);
});

test("a transmitter's value and a meter's total take the unit the technician gives them; other quantities keep theirs", (t) => {
  const r = consoleRig();
  r.run("set ch.press.type ads1115");
  r.run("set ch.press.unit Pa");
  r.run("set ch.water.type pulse");
  r.run("set ch.water.unit kg");
  t.regex(r.run("save"), /OK\r\n$/);
  r.run("set ch.run.type digital");
  r.run("set ch.run.unit Cel");
  t.regex(r.run("save"), /ch.run.unit "Cel" is not the unit of state \(\/\)/);
});
