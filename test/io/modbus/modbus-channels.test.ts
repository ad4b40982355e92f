import test from "ava";
import type { ChannelConfig } from "../../../modules/config/node-config.js";
import { Counters } from "../../../modules/counters.js";
import { Channels, type Reading } from "../../../modules/io/channels.js";
import { ModbusBus, attachModbusBus } from "../../../modules/io/modbus/modbus-bus.js";
import { simulatedBoard } from "../../../modules/io/models/simulated-board.js";
import { simulatedRs485 } from "../../../modules/io/models/simulated-rs485.js";
import { Logger } from "../../../modules/log.js";
import type { Platform } from "../../../modules/platform.js";
import { FakeTimers } from "../../helpers/fake-timers.js";

function rig() {
  const timers = new FakeTimers();
  const now = () => timers.monotonic();
  const rs485 = simulatedRs485(timers, now);
  const board = simulatedBoard(now, 3);
  const io = { ...board.io, Serial: rs485.serialClass() };
  const lines: string[] = [];
  const platform = { clock: timers, timers, io, log: (_l: string, line: string) => void lines.push(line) } as unknown as Platform;
  const bus = new ModbusBus({
    io, timers, clock: timers,
    devices: [
      { name: "meter", address: 1, baud: 9600, parity: "even", stopBits: 1, pollMs: 1000, timeoutMs: 100 },
      { name: "drive", address: 2, baud: 9600, parity: "even", stopBits: 1, pollMs: 1000, timeoutMs: 100 },
    ],
    log: (line) => void lines.push(line),
  });
  attachModbusBus(io, bus);
  const channel = (name: string, fields: Record<string, string | number>, unit = "/"): ChannelConfig => ({ name, type: "modbus", measure: "value", intervalMs: 1000, unit, fields });
  const configs = [
    channel("volts", { device: "meter", function: "input", register: 0, format: "f32" }, "V"),
    channel("amps", { device: "meter", function: "input", register: 6, format: "f32" }, "A"),
    channel("freq", { device: "drive", function: "input", register: 0, format: "u16" }, "Hz"),
    channel("current", { device: "drive", function: "input", register: 1, format: "u16" }, "A"),
    channel("ready", { device: "drive", function: "discrete", register: 0, format: "u16" }),
  ];
  configs[2].scale = 0.01;
  const channels = new Channels(platform, new Logger(platform), new Counters(), configs);
  const readings: Reading[] = [];
  channels.start((r) => void readings.push(r));
  return { timers, rs485, bus, channels, readings, lines };
}

test("modbus channels: merged polls, formats, scale, bits as 0/1; a CRC fault makes them bad with the reason, never the old value", (t) => {
  const { timers, rs485, bus, readings } = rig();
  timers.advance(5000);
  const last = (name: string) => readings.filter((r) => r.channel === name).at(-1)!;
  t.like(last("volts"), { quality: "good", unit: "V" });
  t.true(Math.abs(last("volts").value! - 230) < 4);
  t.true(last("amps").value! > 1);
  t.like(last("ready"), { quality: "good", value: 1 });
  t.like(last("freq"), { quality: "good", value: 0 });
  t.like(last("current"), { quality: "good", value: 20 });
  t.is(bus.master.count("requests"), 5 * 4, "per poll: volts, amps (apart), the drive's input registers 0..1 merged, its discrete input");
  rs485.slaves[0].faults.crcError = true;
  const before = readings.length;
  timers.advance(3000);
  const after = readings.slice(before).filter((r) => r.channel === "volts");
  t.true(after.some((r) => r.quality === "bad" && r.reason === "crc"));
  t.true(after.filter((r) => r.quality === "bad").every((r) => r.value === undefined));
  t.like(last("freq"), { quality: "good" }, "the drive is not affected");
  rs485.slaves[0].faults = { exception: 4 };
  timers.advance(3000);
  t.like(last("volts"), { quality: "bad", reason: "exception_4" });
  rs485.slaves[0].faults = { noAnswer: true };
  timers.advance(3000);
  t.like(last("volts"), { quality: "bad", reason: "timeout" });
  t.like(last("freq"), { quality: "good" }, "a silent meter does not stall the drive");
  rs485.slaves[0].faults = {};
  timers.advance(40_000);
  t.like(last("volts"), { quality: "good" });
});

test("raw frames go to the debug log in hex", (t) => {
  const { timers, lines } = rig();
  timers.advance(1100);
  t.true(lines.some((l) => /^modbus tx 01 04 00 00 00 02 [0-9a-f]{2} [0-9a-f]{2}$/.test(l)), lines.slice(0, 4).join("\n"));
  t.true(lines.some((l) => /^modbus rx 01 04 04( [0-9a-f]{2}){6}$/.test(l)));
});
