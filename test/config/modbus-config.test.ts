import test from "ava";
import { ConfigService } from "../../modules/config/config-service.js";
import { MemoryStorage } from "../helpers/memory-platform.js";

function service(lines: [string, string][], storage = new MemoryStorage()): ConfigService {
  const config = new ConfigService(storage, "test");
  for (const [key, value] of lines) config.set(key, value);
  return config;
}

const GOOD: [string, string][] = [
  ["mb.meter.type", "rtu"],
  ["mb.meter.address", "1"],
  ["mb.drive.type", "rtu"],
  ["mb.drive.address", "2"],
  ["mb.drive.poll", "500"],
  ["ch.volts.type", "modbus"],
  ["ch.volts.device", "meter"],
  ["ch.volts.function", "input"],
  ["ch.volts.register", "0"],
  ["ch.volts.format", "f32"],
  ["ch.volts.unit", "V"],
  ["ch.amps.type", "modbus"],
  ["ch.amps.device", "meter"],
  ["ch.amps.function", "input"],
  ["ch.amps.register", "6"],
  ["ch.amps.format", "f32"],
  ["ch.run.type", "modbus"],
  ["ch.run.device", "drive"],
  ["ch.run.function", "coil"],
  ["ch.run.register", "0"],
];

test("Modbus devices and channels: saved, and resolved with their defaults", (t) => {
  const storage = new MemoryStorage();
  const config = service(GOOD, storage);
  t.notThrows(() => config.save());
  const resolved = new ConfigService(storage, "test").resolved();
  t.deepEqual(resolved.modbus, [
    { name: "drive", address: 2, baud: 9600, parity: "even", stopBits: 1, pollMs: 500, timeoutMs: 200 },
    { name: "meter", address: 1, baud: 9600, parity: "even", stopBits: 1, pollMs: 1000, timeoutMs: 200 },
  ]);
  t.like(resolved.channels.find((c) => c.name === "volts"), { type: "modbus", unit: "V", fields: { device: "meter", function: "input", register: 0, format: "f32" } });
});

test("bad values are refused at set naming the key", (t) => {
  const config = service([["mb.meter.type", "rtu"]]);
  const table: [string, string, string][] = [
    ["mb.meter.address", "248", "mb.meter.address must be 1..247"],
    ["mb.meter.address", "0", "mb.meter.address must be 1..247"],
    ["mb.meter.baud", "230400", "mb.meter.baud must be 1200..115200"],
    ["mb.meter.parity", "mark", "mb.meter.parity must be one of none, even, odd"],
    ["mb.meter.speed", "1", 'unknown key "mb.meter.speed"'],
  ];
  for (const [key, value, message] of table) {
    const error = t.throws(() => config.set(key, value));
    t.true(error!.message.startsWith(message), error!.message);
  }
});

test("cross-key rules refused at save naming the keys: overlapping maps, f32 on a coil, a missing device, a shared port's settings, a unit twice", (t) => {
  const table: [[string, string][], string][] = [
    [[["ch.amps.register", "1"]], "ch.volts.register 0 (input 0..1 of meter) overlaps ch.amps.register (1..2)"],
    [[["ch.run.format", "f32"]], "ch.run.format f32 does not fit a coil (a bit reads 0/1): leave it u16"],
    [[["ch.run.device", "pump"]], 'ch.run.device "pump" names no Modbus device (set mb.pump.type rtu)'],
    [[["mb.meter.baud", "19200"]], "mb.meter.baud 19200 differs from mb.drive.baud 9600: the devices share one RS-485 port"],
    [[["mb.meter.address", "2"]], "mb.meter.address 2 is also mb.drive.address"],
  ];
  for (const [changes, message] of table) {
    const config = service([...GOOD, ...changes]);
    const error = t.throws(() => config.save());
    t.true(error!.message.includes(message), error!.message);
  }
});
