/**
 * Modbus actuators and late answers in virtual time (XS-safe): the drive's
 * run coil and speed setpoint as actuators on the simulated RS-485 bus
 * (boot safe states, a remote command, a console test, a write that times
 * out and recovers, the link-loss failsafe), then reads of a slave that
 * answers after the time-out. One "t=<ms> <what>" line per step, so the XS
 * test compares the engine's run with Node's.
 */
import { Actuators } from "../../modules/io/actuators.js";
import { attachModbusBus, ModbusBus } from "../../modules/io/modbus/modbus-bus.js";
import { DRIVE_MAP } from "../../modules/io/models/drive-model.js";
import { simulatedRs485 } from "../../modules/io/models/simulated-rs485.js";
import { Logger } from "../../modules/log.js";
import type { Platform } from "../../modules/platform.js";
import { memoryPlatform } from "./memory-platform.js";
import { stepRecorder } from "./outcome.js";

export function modbusActuatorScenario(): string[] {
  const mp = memoryPlatform();
  const timers = mp.platform.timers;
  const now = () => mp.platform.clock.monotonic();
  const rs485 = simulatedRs485(timers, now);
  const io = { ...mp.platform.io, Serial: rs485.serialClass() };
  const platform: Platform = { ...mp.platform, io };
  const bus = new ModbusBus({ io, timers, clock: mp.platform.clock, devices: [{ name: "drive", address: 2, baud: 9600, parity: "even", stopBits: 1, pollMs: 1000, timeoutMs: 100 }] });
  attachModbusBus(io, bus);
  const lines: string[] = [];
  const drive = rs485.slaves[1];
  const device = () => `coil ${drive.tables.coils[DRIVE_MAP.coils.run]} setpoint ${drive.tables.holding[DRIVE_MAP.holding.setpoint]}`;
  const actuators = new Actuators(platform, new Logger(platform), [
    { name: "run", type: "modbus_coil", safeState: 0, minOnS: 0, minOffS: 0, invert: false, failsafeS: 30, modbus: { device: "drive", register: 0, format: "u16", scale: 1, offset: 0, min: 0, max: 100, rewriteS: 0 } },
    { name: "speed", type: "modbus_register", safeState: 20, minOnS: 0, minOffS: 0, invert: false, failsafeS: 30, modbus: { device: "drive", register: 0, format: "u16", scale: 0.01, offset: 0, min: 0, max: 50, rewriteS: 0 } },
  ], (kind, detail) => lines.push(`t=${now()} ${kind}: ${detail}`));
  const attempt = stepRecorder(lines, now);
  actuators.start();
  actuators.linkUp(true);
  mp.advance(500);
  lines.push(`t=${now()} ${device()}`);
  attempt("remote run on", () => actuators.set("run", true, "remote"));
  attempt("remote speed 45", () => actuators.set("speed", 45, "remote"));
  attempt("remote speed 99", () => actuators.set("speed", 99, "remote"));
  mp.advance(500);
  lines.push(`t=${now()} ${device()}`);
  attempt("console speed 30 for 10", () => actuators.test("speed", 30, 10));
  drive.faults.noAnswer = true;
  mp.advance(2_000);
  lines.push(`t=${now()} ${actuators.describe().join("; ")}`);
  drive.faults.noAnswer = false;
  mp.advance(40_000);
  lines.push(`t=${now()} ${device()} ${actuators.describe().join("; ")}`);
  actuators.linkUp(false);
  mp.advance(31_000);
  lines.push(`t=${now()} ${device()} ${actuators.describe().join("; ")}`);
  actuators.stop();
  // Late answers: reads of neighbouring registers of a slave that answers 150 ms after a 100 ms time-out.
  drive.tables.holding[1] = 2222;
  drive.faults.slowMs = 150;
  for (const address of [0, 1, 0, 1]) bus.master.submit({ unit: 2, fn: 3, address, count: 1 }, (r) => lines.push(`t=${now()} read ${address} -> ${r.ok ? r.values.join(",") : r.reason}`));
  mp.advance(10_000);
  lines.push(`late ${bus.master.count("late")} noise ${bus.master.count("noise")} timeout ${bus.master.count("timeout")}`);
  bus.close();
  return lines;
}
