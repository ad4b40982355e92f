import test from "ava";
import type { ActuatorSource } from "../../modules/io/actuator-source.js";
import { badReading, goodReading } from "../../modules/io/reading.js";
import type { RuleConfig } from "../../modules/edge/rule-config.js";
import { Rules } from "../../modules/edge/rules.js";

function rule(partial: Partial<RuleConfig> & Pick<RuleConfig, "name" | "on">): RuleConfig {
  return { kind: "threshold", input: "temp", output: "comp", direction: "above", off: partial.on, value: 100, priority: 0, staleMs: 30_000, ...partial };
}

/** Rules over a fake output table that records every call as text. */
function rig(configs: RuleConfig[], safeState = 0) {
  const clock = { now: 0 };
  const calls: string[] = [];
  const events: string[] = [];
  const errors: string[] = [];
  let refuse: string | undefined;
  const outputs = {
    set(name: string, value: number, source: ActuatorSource) {
      if (refuse) throw Object.assign(new Error(refuse), { code: refuse });
      calls.push(`${clock.now / 1000}:set ${name} ${value} ${source}`);
      return value;
    },
    interlock(name: string) {
      calls.push(`${clock.now / 1000}:interlock ${name}`);
    },
    release(name: string, source: ActuatorSource) {
      calls.push(`${clock.now / 1000}:release ${name} ${source}`);
      return true;
    },
    config: () => ({ safeState }),
  };
  const rules = new Rules(configs, outputs, { now: () => clock.now, event: (_k, detail, fields) => void events.push(`${fields.rule}:${fields.action}:${detail}`), onError: (m) => void errors.push(m) });
  /** Feeds one reading per second from the current time (null: bad), with a check after each. */
  const feed = (channel: string, values: (number | null)[]) => {
    for (const v of values) {
      rules.push(v === null ? badReading(channel, "Cel", "nack", clock.now) : goodReading(channel, "Cel", v, clock.now));
      rules.check();
      clock.now += 1000;
    }
  };
  return { rules, clock, calls, events, errors, feed, refuse: (code: string | undefined) => void (refuse = code) };
}

type Case = [name: string, configs: RuleConfig[], values: (number | null)[], calls: string[]];

const CASES: Case[] = [
  ["thermostat: on above 5, off below 3 (else 0)", [rule({ name: "cool", on: 5, off: 3, otherwise: 0 })], [4, 5, 5.1, 4, 3, 2.9, 4, 6],
    ["0:set comp 0 rule", "2:set comp 100 rule", "5:set comp 0 rule", "7:set comp 100 rule"]],
  ["without else, off lets go of the output", [rule({ name: "cool", on: 5, off: 3 })], [6, 2.5, 4, 6],
    ["0:set comp 100 rule", "1:release comp rule", "3:set comp 100 rule"]],
  ["on_below (heater) with off_above", [rule({ name: "heat", direction: "below", on: 10, off: 12, otherwise: 0 })], [11, 9.9, 11, 12, 12.1],
    ["0:set comp 0 rule", "1:set comp 100 rule", "4:set comp 0 rule"]],
  ["pump-down: on above 80, off below 20", [rule({ name: "down", input: "level", output: "pump", on: 80, off: 20, otherwise: 0 })], [50, 81, 60, 19, 50],
    ["0:set pump 0 rule", "1:set pump 100 rule", "3:set pump 0 rule"]],
  ["a bad input drives the safe state", [rule({ name: "cool", on: 5, off: 3, otherwise: 0 })], [6, null, 6],
    ["0:set comp 100 rule", "1:set comp 0 rule", "2:set comp 100 rule"]],
  ["interlock: never run while the level is below 10 (released above 15)", [rule({ name: "dry", kind: "interlock", input: "temp", output: "comp", direction: "below", on: 10, off: 15 })], [20, 9, 12, 15, 16],
    ["1:interlock comp", "4:release comp interlock"]],
  ["priority: the higher rule that wants the output wins", [rule({ name: "low", on: 5, off: 3, otherwise: 0, priority: 1 }), rule({ name: "boost", on: 8, priority: 2 })], [4, 6, 9, 6, 2],
    ["0:set comp 0 rule", "1:set comp 100 rule", "2:set comp 100 rule", "3:set comp 100 rule", "4:set comp 0 rule"]],
];

for (const [name, configs, values, calls] of CASES)
  test(name, (t) => {
    const r = rig(configs);
    const input = configs[0].input;
    r.feed(input, values);
    t.deepEqual(r.calls, calls);
  });

test("a stale input (no good reading for stale_s) drives the safe state; each action is an event naming the rule", (t) => {
  const r = rig([rule({ name: "cool", on: 5, off: 3, staleMs: 5000 })], 100);
  r.feed("temp", [2]);
  t.deepEqual(r.calls, []);
  for (let i = 0; i < 6; i++) {
    r.rules.check();
    r.clock.now += 1000;
  }
  t.deepEqual(r.calls, ["6:set comp 100 rule"]);
  t.deepEqual(r.events, ["cool:set:cool: comp 100 (temp stale: no good reading for 5 s)"]);
});

test("an action the output refuses is logged once and retried at each check", (t) => {
  const r = rig([rule({ name: "cool", on: 5, off: 3, otherwise: 0 })]);
  r.refuse("min-on");
  r.feed("temp", [6, 6, 6]);
  t.deepEqual(r.calls, []);
  t.is(r.errors.length, 1);
  r.refuse(undefined);
  r.feed("temp", [6]);
  t.deepEqual(r.calls, ["3:set comp 100 rule"]);
});

test("an interlock holds the output; the threshold rule's value follows when it lets go", (t) => {
  const r = rig([rule({ name: "down", input: "level", output: "pump", on: 80, off: 20, otherwise: 0, priority: 1 }), rule({ name: "dry", kind: "interlock", input: "level", output: "pump", direction: "below", on: 5, off: 10 })]);
  r.feed("level", [3, 90]);
  t.deepEqual(r.calls, ["0:interlock pump", "1:release pump interlock", "1:set pump 100 rule"]);
});
