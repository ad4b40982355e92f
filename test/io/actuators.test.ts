import test from "ava";
import type { ActuatorConfig } from "../../modules/config/node-config.js";
import { Actuators, type ActuatorSource } from "../../modules/io/actuators.js";
import { Logger } from "../../modules/log.js";
import { memoryPlatform } from "../helpers/memory-platform.js";
import { outcomeOf } from "../helpers/outcome.js";

const PUMP: ActuatorConfig = { name: "pump", type: "relay", pin: 5, safeState: 0, minOnS: 0, minOffS: 0, invert: false };

function rig(overrides: Partial<ActuatorConfig> = {}, extra: ActuatorConfig[] = []) {
  const mp = memoryPlatform();
  const events: { kind: string; detail: string; fields?: Record<string, unknown>; at: number }[] = [];
  const actuators = new Actuators(mp.platform, new Logger(mp.platform), [{ ...PUMP, ...overrides }, ...extra], (kind, detail, fields) =>
    events.push({ kind, detail, fields, at: mp.platform.clock.monotonic() }));
  actuators.start();
  const level = () => mp.board.pins.levels.get(5);
  const attempt = outcomeOf;
  return { mp, actuators, events, level, attempt };
}

// Each step: [operation, expected outcome code, expected pin level after, expected holder after]
type Op = ["set", boolean, ActuatorSource] | ["release", ActuatorSource] | ["interlock"];
const ARBITRATION: [Op, string, number, ActuatorSource | undefined][] = [
  [["set", true, "remote"], "ok", 1, "remote"],
  [["set", false, "rule"], "ok", 0, "rule"], //                  a rule outranks the remote command
  [["set", true, "remote"], "held", 0, "rule"], //               the remote waits for the rule
  [["set", true, "console"], "ok", 1, "console"], //             a console test outranks the rule
  [["set", false, "rule"], "held", 1, "console"],
  [["interlock"], "ok", 0, "interlock"], //                      safety outranks everything but the failsafe
  [["set", true, "console"], "held", 0, "interlock"],
  [["set", true, "remote"], "held", 0, "interlock"],
  [["release", "interlock"], "ok", 1, "console"], //             back to the console's claim
  [["release", "console"], "ok", 0, "rule"], //                  back to the rule's claim
  [["release", "rule"], "ok", 1, "remote"], //                   back to the remote's (it was stored)
  [["release", "remote"], "ok", 0, undefined], //                nobody: safe state
  [["release", "remote"], "none", 0, undefined], //              nothing to release
];

test("arbitration: a higher source holds the output, a lower one is refused (held) naming the holder, release goes back down", (t) => {
  const { actuators, level, attempt } = rig();
  for (const [op, code, pin, holder] of ARBITRATION) {
    const label = op.join(" ");
    const got = op[0] === "set" ? attempt(() => actuators.set("pump", op[1], op[2]))
      : op[0] === "interlock" ? attempt(() => actuators.interlock("pump", "high pressure"))
      : actuators.release("pump", op[1]) ? "ok" : "none";
    t.is(got, code, label);
    t.is(level(), pin, `${label}: pin`);
    t.is(actuators.state("pump").holder, holder, `${label}: holder`);
  }
});

test("a refusal names the holder and its reason, and changes nothing", (t) => {
  const { actuators, level, events } = rig();
  actuators.set("pump", true, "rule");
  actuators.interlock("pump", "high pressure");
  const before = events.length;
  const error = t.throws(() => actuators.set("pump", true, "remote"));
  t.is((error as { code?: string }).code, "held");
  t.is(error?.message, "pump is held by interlock (high pressure): a remote command waits until it releases");
  t.is(level(), 0);
  t.is(events.length, before, "no event for a refused command");
});

test("every change is an act event naming its source; repeating a value is not a change", (t) => {
  const { actuators, events } = rig();
  actuators.set("pump", true, "remote");
  actuators.set("pump", true, "remote");
  actuators.interlock("pump", "door open");
  actuators.release("pump", "interlock");
  t.deepEqual(events.map((e) => [e.kind, e.detail, e.fields?.source]), [
    ["act", "pump on (was off) by remote", "remote"],
    ["act", "pump off (was on) by interlock: door open", "interlock"],
    ["act", "pump on (was off) by remote: interlock released", "remote"],
  ]);
  t.deepEqual(events[1].fields, { act: "pump", value: 0, was: 100, source: "interlock", reason: "door open" });
});

test("typed values: relays take booleans or 0/1/100, PWM 0..100; bad ones are refused with bad-value", (t) => {
  const fan: ActuatorConfig = { ...PUMP, name: "fan", type: "pwm", pin: 6 };
  const { actuators, mp, attempt } = rig({}, [fan]);
  t.is(actuators.set("pump", 1, "remote"), 100);
  t.is(actuators.set("pump", 0, "remote"), 0);
  t.is(attempt(() => actuators.set("pump", 50, "remote")), "bad-value");
  t.is(actuators.set("fan", 40.5, "remote"), 40.5);
  t.is(mp.board.pins.duty.get(6), Math.round(0.405 * 1023));
  for (const bad of [-1, 101, 1.234, Number.NaN]) t.is(attempt(() => actuators.set("fan", bad, "remote")), "bad-value", String(bad));
  t.is(attempt(() => actuators.set("heater", true, "remote")), "unknown-actuator");
  t.is(actuators.parse("fan", "40%"), 40);
  t.is(attempt(() => actuators.parse("fan", "4e1")), "bad-value");
});

test("console test: holds for its time, then back to the previous holder, exactly on time", (t) => {
  const { actuators, mp, level, events } = rig();
  actuators.set("pump", true, "remote");
  actuators.test("pump", false, 30);
  t.is(level(), 0);
  t.is(actuators.state("pump").testLeftS, 30);
  t.regex(actuators.describe()[0], /^pump=off by console \(30 s left\)$/);
  mp.advance(29_999);
  t.is(level(), 0, "still under test at 29.999 s");
  mp.advance(1);
  t.is(level(), 1, "back to the remote's on at 30 s");
  t.is(actuators.state("pump").holder, "remote");
  t.is(events.at(-1)?.detail, "pump on (was off) by remote: console test time over");
  t.is(events.at(-1)?.at, 30_000);
});

test("console test without for: act.<name>.test_s; a new test restarts the time; release ends it", (t) => {
  const { actuators, mp, level } = rig({ testS: 60 });
  actuators.test("pump", true);
  mp.advance(50_000);
  actuators.test("pump", true);
  mp.advance(50_000);
  t.is(level(), 1, "the second test runs 60 s from its start");
  t.true(actuators.release("pump", "console"));
  t.is(level(), 0);
  t.is(actuators.state("pump").holder, undefined);
  mp.advance(60_000);
  t.is(level(), 0, "the old timer is gone");
});

test("min on/off: a command that switches too early is refused; a release waits for the time, then switches", (t) => {
  const { actuators, mp, level, attempt } = rig({ minOnS: 10, minOffS: 10 });
  mp.advance(10_000);
  actuators.set("pump", true, "remote");
  mp.advance(3_000);
  t.is(attempt(() => actuators.set("pump", false, "remote")), "min-on");
  actuators.test("pump", true, 5);
  mp.advance(2_000);
  t.true(actuators.release("pump", "remote"));
  t.is(level(), 1, "the console still holds it");
  mp.advance(3_000);
  t.is(level(), 1, "test over at 5 s, but on for only 8 s: the safe state waits");
  mp.advance(1_999);
  t.is(level(), 1);
  mp.advance(1);
  t.is(level(), 0, "off exactly when min_on_s is up");
});

test("interlock and failsafe switch at once, whatever the minimum times", (t) => {
  const { actuators, mp, level } = rig({ minOnS: 600 });
  actuators.set("pump", true, "rule");
  mp.advance(1_000);
  actuators.interlock("pump", "dry run");
  t.is(level(), 0);
});

test("failsafe: no broker and no command for failsafe_s puts the output in its safe state, exactly on time", (t) => {
  const { actuators, mp, level, events } = rig({ failsafeS: 30 });
  actuators.linkUp(true);
  actuators.set("pump", true, "remote");
  mp.advance(100_000);
  t.is(level(), 1, "link up: no countdown");
  actuators.linkUp(false);
  mp.advance(20_000);
  actuators.set("pump", true, "rule"); // a command restarts the countdown
  mp.advance(29_999);
  t.is(level(), 1, "29.999 s after the last command");
  mp.advance(1);
  t.is(level(), 0, "30 s: safe state");
  t.is(actuators.state("pump").holder, "failsafe");
  t.like(events.at(-1), { kind: "act", detail: "pump off (was on) by failsafe: no broker and no command for 30 s", at: 150_000 });
  t.is(events.at(-1)?.fields?.source, "failsafe");
  actuators.linkUp(true);
  mp.advance(60_000);
  t.is(level(), 0, "kept after the broker is back");
  t.is(actuators.state("pump").holder, "failsafe");
});

test("failsafe is kept until commanded again: the next command ends it; an interlock waits behind it", (t) => {
  const { actuators, mp, level } = rig({ failsafeS: 10 });
  actuators.set("pump", true, "remote");
  mp.advance(10_000);
  t.is(actuators.state("pump").holder, "failsafe");
  actuators.interlock("pump", "level low");
  t.is(actuators.state("pump").holder, "failsafe", "the interlock's claim waits behind the failsafe");
  t.throws(() => actuators.set("pump", true, "remote"), { message: /held by interlock \(level low\)/ });
  actuators.release("pump", "interlock");
  t.is(actuators.set("pump", true, "remote"), 100, "a command ends the failsafe");
  t.is(level(), 1);
  t.is(actuators.state("pump").holder, "remote");
  mp.advance(9_999);
  t.is(level(), 1);
  mp.advance(1);
  t.is(level(), 0, "still no broker: failsafe again 10 s after that command");
});

test("failsafe at boot: the countdown starts at start() while no broker was ever reached", (t) => {
  const { mp, level, actuators } = rig({ failsafeS: 5, safeState: 0 });
  mp.advance(5_000);
  t.is(actuators.state("pump").holder, "failsafe");
  t.is(level(), 0);
});

test("run feedback: an input that follows in time is fine; one that does not is a fault event, and its return clears it", (t) => {
  const { actuators, mp, events } = rig({ feedbackPin: 7, feedbackS: 3 });
  const pins = mp.board.pins.levels;
  actuators.set("pump", true, "remote");
  mp.advance(2_000);
  pins.set(7, 1); // the contactor closes after 2 s
  mp.advance(10_000);
  t.false(events.some((e) => e.kind === "act_fault"), "followed within 3 s");
  pins.set(7, 0); // the motor trips while commanded on
  mp.advance(2_750);
  t.false(events.some((e) => e.kind === "act_fault"), "not yet 3 s");
  mp.advance(500);
  const fault = events.find((e) => e.kind === "act_fault");
  t.truthy(fault);
  t.regex(fault!.detail, /^pump: feedback pin 7 reads 0, expected 1, for 3(\.\d+)? s \(feedback_s 3\)$/);
  t.true(actuators.state("pump").feedbackFault);
  t.regex(actuators.describe()[0], /\[feedback fault\]$/);
  mp.advance(10_000);
  t.is(events.filter((e) => e.kind === "act_fault").length, 1, "reported once");
  pins.set(7, 1);
  mp.advance(250);
  t.is(events.at(-1)?.kind, "act_fault_cleared");
  t.false(actuators.state("pump").feedbackFault);
});

test("stop drives every output to its safe state and cancels the timers", (t) => {
  const { actuators, mp, level } = rig({ failsafeS: 5, feedbackPin: 7 });
  actuators.test("pump", true, 30);
  actuators.stop();
  t.is(level(), 0);
  t.is(mp.board.pins.levels.get(7) ?? 0, 0);
  mp.advance(60_000);
  t.is(level(), 0);
});
