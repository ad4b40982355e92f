import test from "ava";
import type { ActuatorConfig } from "../../../modules/config/node-config.js";
import { Actuators, type ActuatorSource } from "../../../modules/io/actuators.js";
import { ModbusBus, attachModbusBus } from "../../../modules/io/modbus/modbus-bus.js";
import { DRIVE_MAP } from "../../../modules/io/models/drive-model.js";
import { simulatedBoard } from "../../../modules/io/models/simulated-board.js";
import { simulatedRs485 } from "../../../modules/io/models/simulated-rs485.js";
import { Logger } from "../../../modules/log.js";
import type { Platform } from "../../../modules/platform.js";
import { FakeTimers } from "../../helpers/fake-timers.js";
import { outcomeOf } from "../../helpers/outcome.js";

/** The drive's run coil and its speed setpoint (holding 0, 0.01 Hz), as actuators; a meter beside it. */
const RUN: ActuatorConfig = { name: "drive_run", type: "modbus_coil", safeState: 0, minOnS: 0, minOffS: 0, invert: false,
  modbus: { device: "drive", register: DRIVE_MAP.coils.run, format: "u16", scale: 1, offset: 0, min: 0, max: 100, rewriteS: 0 } };
const SPEED: ActuatorConfig = { name: "drive_speed", type: "modbus_register", safeState: 20, minOnS: 0, minOffS: 0, invert: false,
  modbus: { device: "drive", register: DRIVE_MAP.holding.setpoint, format: "u16", scale: 0.01, offset: 0, min: 0, max: 50, rewriteS: 0 } };

/** The node's actuators on the byte-level simulated bus (meter at unit 1, drive at 2), in fake time. */
function rig(changes: Partial<ActuatorConfig>[] = []) {
  const timers = new FakeTimers();
  const now = () => timers.monotonic();
  const rs485 = simulatedRs485(timers, now);
  const board = simulatedBoard(now, 3);
  const io = { ...board.io, Serial: rs485.serialClass() };
  const platform = { clock: timers, timers, io, log: () => undefined } as unknown as Platform;
  const bus = new ModbusBus({
    io, timers, clock: timers,
    devices: [
      { name: "meter", address: 1, baud: 9600, parity: "even", stopBits: 1, pollMs: 1000, timeoutMs: 100 },
      { name: "drive", address: 2, baud: 9600, parity: "even", stopBits: 1, pollMs: 1000, timeoutMs: 100 },
    ],
  });
  attachModbusBus(io, bus);
  const events: { kind: string; detail: string; fields?: Record<string, unknown>; at: number }[] = [];
  const configs = [RUN, SPEED].map((c, i) => ({ ...c, ...changes[i] }));
  const actuators = new Actuators(platform, new Logger(platform), configs, (kind, detail, fields) => events.push({ kind, detail, fields, at: timers.monotonic() }));
  actuators.start();
  const drive = rs485.slaves[1];
  const coil = () => drive.tables.coils[DRIVE_MAP.coils.run];
  const setpoint = () => drive.tables.holding[DRIVE_MAP.holding.setpoint];
  const attempt = outcomeOf;
  return { timers, rs485, bus, actuators, events, drive, coil, setpoint, attempt };
}

test("boot writes each safe state to the device: the coil off, the setpoint 20 Hz (2000 in 0.01 Hz)", (t) => {
  const { timers, coil, setpoint, actuators, drive } = rig([{ safeState: 100 }]);
  drive.tables.holding[0] = 1234;
  t.deepEqual(actuators.state("drive_speed").write, { confirmed: false }, "the write is on its way");
  timers.advance(200);
  t.is(coil(), 1);
  t.is(setpoint(), 2000);
  t.deepEqual(actuators.state("drive_speed").write, { confirmed: true });
  t.deepEqual(actuators.describe(), ["drive_run=on (safe state)", "drive_speed=20 (safe state)"]);
});

// [operation, outcome, setpoint in the device after, holder after]
type Op = ["set", number, ActuatorSource] | ["release", ActuatorSource] | ["interlock"];
const ARBITRATION: [Op, string, number, ActuatorSource | undefined][] = [
  [["set", 30, "remote"], "ok", 3000, "remote"],
  [["set", 10, "rule"], "ok", 1000, "rule"],
  [["set", 45, "remote"], "held", 1000, "rule"],
  [["set", 45, "console"], "ok", 4500, "console"],
  [["interlock"], "ok", 2000, "interlock"], // the interlock drives it to its safe state
  [["set", 50, "console"], "held", 2000, "interlock"],
  [["release", "interlock"], "ok", 4500, "console"],
  [["release", "console"], "ok", 1000, "rule"],
  [["release", "rule"], "ok", 3000, "remote"],
  [["release", "remote"], "ok", 2000, undefined],
];

test("a Modbus register is arbitrated as a local output: the device's setpoint follows the winning claim", (t) => {
  const { timers, actuators, setpoint, attempt } = rig();
  timers.advance(200);
  for (const [op, code, value, holder] of ARBITRATION) {
    const label = op.join(" ");
    const got = op[0] === "set" ? attempt(() => actuators.set("drive_speed", op[1], op[2]))
      : op[0] === "interlock" ? attempt(() => actuators.interlock("drive_speed", "low suction"))
      : actuators.release("drive_speed", op[1]) ? "ok" : "none";
    t.is(got, code, label);
    timers.advance(100);
    t.is(setpoint(), value, `${label}: the device's setpoint`);
    t.is(actuators.state("drive_speed").holder, holder, `${label}: holder`);
  }
});

test("values: a register takes numbers within min..max and scales them; a coil takes on/off; bad ones change nothing", (t) => {
  const { timers, actuators, setpoint, attempt } = rig();
  t.is(actuators.parse("drive_speed", "45.5"), 45.5);
  t.is(actuators.parse("drive_run", "on"), 100);
  for (const text of ["fast", "", "1e999", "51", "-1"]) t.is(attempt(() => actuators.set("drive_speed", actuators.parse("drive_speed", text), "remote")), "bad-value", text);
  t.is(attempt(() => actuators.set("drive_speed", true, "remote")), "bad-value", "a register is not on/off");
  t.is(attempt(() => actuators.set("drive_run", 50, "remote")), "bad-value");
  actuators.set("drive_speed", 45.5, "remote");
  timers.advance(100);
  t.is(setpoint(), 4550);
  t.regex(actuators.describe()[1], /^drive_speed=45\.5 by remote$/);
});

test("the drive follows: run on and 45 Hz, and its output frequency (input register 0) ramps there", (t) => {
  const { timers, actuators, drive } = rig();
  actuators.set("drive_run", true, "console");
  actuators.set("drive_speed", 45, "console");
  timers.advance(20_000);
  drive.hooks.beforeRead?.();
  t.is(drive.tables.input[DRIVE_MAP.input.frequency], 4500);
});

test("a write that times out: one act_fault event with the reason, status says so, written again with back-off until the device takes the latest value", (t) => {
  const { timers, actuators, drive, setpoint, events } = rig();
  timers.advance(200);
  drive.faults.noAnswer = true;
  actuators.set("drive_speed", 30, "remote");
  timers.advance(400);
  const faults = () => events.filter((e) => e.kind === "act_fault");
  t.is(faults().length, 1);
  t.like(faults()[0].fields, { act: "drive_speed", fault: "write", reason: "timeout" });
  t.regex(faults()[0].detail, /drive_speed: register 0 of drive: writing 30 failed \(timeout/);
  t.is(actuators.state("drive_speed").write?.confirmed, false);
  t.regex(actuators.state("drive_speed").write?.fault ?? "", /^timeout/);
  t.regex(actuators.describe()[1], /^drive_speed=30 by remote \[write failed: timeout.*; retrying in \d+ s\]$/);
  const requests = drive.requests;
  timers.advance(60_000);
  t.is(faults().length, 1, "reported once, not at each attempt");
  const attempts = drive.requests - requests;
  t.true(attempts >= 5 && attempts <= 12, `backed off: ${attempts} requests in 60 s`);
  actuators.set("drive_speed", 35, "remote");
  drive.faults.noAnswer = false;
  timers.advance(31_000);
  t.is(setpoint(), 3500, "the latest value, not the failed one, within the longest back-off (30 s)");
  t.is(events.filter((e) => e.kind === "act_fault_cleared").length, 1);
  t.deepEqual(actuators.state("drive_speed").write, { confirmed: true });
});

test("an exception answer is a write fault with its code; the device is asked again later", (t) => {
  const { timers, actuators, drive, setpoint, events } = rig();
  timers.advance(200);
  drive.faults.exception = 4;
  actuators.set("drive_speed", 25, "remote");
  timers.advance(200);
  t.like(events.find((e) => e.kind === "act_fault")?.fields, { reason: "exception_4" });
  drive.faults = {};
  timers.advance(2000);
  t.is(setpoint(), 2500);
});

test("commands faster than the bus: one write on the bus at a time, the latest value wins", (t) => {
  const { timers, actuators, drive, setpoint } = rig();
  timers.advance(200);
  const before = drive.requests;
  for (let hz = 1; hz <= 40; hz++) actuators.set("drive_speed", hz, "remote");
  timers.advance(1000);
  t.is(setpoint(), 4000);
  t.true(drive.requests - before <= 2, `${drive.requests - before} writes`);
});

test("link-loss failsafe: no broker and no command for failsafe_s writes the safe state to the device and holds it", (t) => {
  const { timers, actuators, setpoint, coil, events, attempt } = rig([{ failsafeS: 10 }, { failsafeS: 10 }]);
  actuators.linkUp(true);
  actuators.set("drive_run", true, "remote");
  actuators.set("drive_speed", 45, "remote");
  timers.advance(200);
  t.is(coil(), 1);
  actuators.linkUp(false);
  timers.advance(9_000);
  t.is(setpoint(), 4500, "not yet");
  timers.advance(1_500);
  t.is(setpoint(), 2000);
  t.is(coil(), 0);
  t.is(actuators.state("drive_speed").holder, "failsafe");
  t.true(events.some((e) => e.kind === "act" && e.fields?.act === "drive_speed" && e.fields?.source === "failsafe"));
  t.is(attempt(() => actuators.set("drive_speed", 40, "remote")), "ok", "a command ends the failsafe");
  timers.advance(100);
  t.is(setpoint(), 4000);
});

test("console test mode on a coil times out back to the holder before; min on/off times apply", (t) => {
  const { timers, actuators, coil, attempt } = rig([{ minOnS: 30 }]);
  timers.advance(200);
  actuators.test("drive_run", true, 60);
  timers.advance(100);
  t.is(coil(), 1);
  t.is(attempt(() => actuators.set("drive_run", false, "console")), "min-on");
  timers.advance(60_000);
  t.is(coil(), 0, "test over: back to the safe state");
  t.is(actuators.state("drive_run").holder, undefined);
});

test("no bus: a Modbus actuator is a fault (set refuses with fault), the others go on", (t) => {
  const timers = new FakeTimers();
  const board = simulatedBoard(() => timers.monotonic(), 3);
  const platform = { clock: timers, timers, io: board.io, log: () => undefined } as unknown as Platform;
  const events: string[] = [];
  const actuators = new Actuators(platform, new Logger(platform), [SPEED, { name: "pump", type: "relay", pin: 5, safeState: 0, minOnS: 0, minOffS: 0, invert: false }], (kind) => events.push(kind));
  actuators.start();
  t.throws(() => actuators.set("drive_speed", 10, "remote"), { message: /drive_speed: open failed: this node has no RS-485 port/ });
  t.notThrows(() => actuators.set("pump", true, "remote"));
});

test("rewrite_s: a drive that forgot its setpoint (a power cycle) gets it back within rewrite_s; without it, only changes are written", (t) => {
  const { timers, actuators, drive, setpoint } = rig([{}, { modbus: { ...SPEED.modbus!, rewriteS: 10 } }]);
  actuators.set("drive_speed", 40, "remote");
  timers.advance(500);
  t.is(setpoint(), 4000);
  drive.tables.holding[0] = 0;
  timers.advance(10_500);
  t.is(setpoint(), 4000, "written again");
  const plain = rig();
  plain.actuators.set("drive_speed", 40, "remote");
  plain.timers.advance(500);
  plain.drive.tables.holding[0] = 0;
  const before = plain.drive.requests;
  plain.timers.advance(60_000);
  t.is(plain.setpoint(), 0);
  t.is(plain.drive.requests - before, 0, "no writes without a change");
});

test("run feedback on a Modbus coil: a contact that does not follow within feedback_s is an act_fault (feedback), as for a relay", (t) => {
  const { timers, actuators, events } = rig([{ feedbackPin: 26, feedbackS: 2 }]);
  actuators.set("drive_run", true, "remote");
  timers.advance(3000);
  t.like(events.find((e) => e.kind === "act_fault")?.fields, { act: "drive_run", fault: "feedback" });
  t.true(actuators.state("drive_run").feedbackFault);
});
