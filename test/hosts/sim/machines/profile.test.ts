import test from "ava";
import { parseProfile, profileConfig, validateProfile } from "../../../../hosts/sim/machines/profile.js";

/** A small valid profile; each bad case changes one thing. */
function base(): any {
  return {
    name: "test-skid",
    chips: [{ id: "room", type: "sht3x" }, { id: "p1", type: "probe", address: "0x10" }, { id: "p2", type: "probe", address: 17 }],
    actuators: [{ name: "pump", type: "relay", pin: 25, feedback_pin: 26 }],
    channels: [
      { name: "temp", chip: "room", measure: "temperature", signal: { kind: "sine", offset: 20, amplitude: 2, period_s: 600 } },
      { name: "flow", chip: "p1", unit: "l/s", signal: { kind: "constant", value: 0, add: [{ kind: "noise", sd: 0.1 }] },
        couplings: [{ actuator: "pump", on: 120, tau_s: 3 }] },
      { name: "level", chip: "p2", unit: "%", signal: { kind: "constant", value: 40 }, min: 0, max: 100,
        couplings: [{ channel: "flow", rate: 0.01 }, { actuator: "pump", mode: "rate", rate: -0.5 }] },
    ],
    faults: [{ at_s: 60, target: "flow", fault: "stuck", for_s: 30 }],
    rules: [{ name: "drain", type: "threshold", input: "level", output: "pump", on_above: 80, off_below: 20, else: 0 }],
  };
}

// [what the case changes, expected message]
const BAD: [string, (p: any) => void, string][] = [
  ["unknown signal kind", (p) => (p.channels[2].signal = { kind: "sinus" }),
    'profile skid.json: channels[2].signal.kind: unknown "sinus" (one of: constant, sine, random_walk, step, ramp, noise, spikes, csv)'],
  ["field of another kind", (p) => (p.channels[0].signal.value = 3), "profile skid.json: channels[0].signal.value: unknown field (allowed: kind, add, offset, amplitude, period_s, phase_s)"],
  ["missing field", (p) => delete p.channels[0].signal.period_s, "profile skid.json: channels[0].signal.period_s: is required"],
  ["zero period", (p) => (p.channels[0].signal.period_s = 0), "profile skid.json: channels[0].signal.period_s: must be greater than 0, got 0"],
  ["text for a number", (p) => (p.channels[0].signal.amplitude = "2"), 'profile skid.json: channels[0].signal.amplitude: expected a number, got "2"'],
  ["nested add", (p) => (p.channels[1].signal.add[0].kind = "wobble"), 'profile skid.json: channels[1].signal.add[0].kind: unknown "wobble" (one of: constant, sine, random_walk, step, ramp, noise, spikes, csv)'],
  ["csv without data", (p) => (p.channels[0].signal = { kind: "csv", column: "Pressure" }), "profile skid.json: channels[0].signal.column: a csv signal needs the profile's data.csv (or --replay)"],
  ["missing chip", (p) => (p.channels[0].chip = "attic"), 'profile skid.json: channels[0].chip: no chip "attic" (chips: room, p1, p2)'],
  ["unknown chip type", (p) => (p.chips[0].type = "sht4x"), 'profile skid.json: chips[0].type: unknown "sht4x" (one of: sht3x, probe, ads1115, analog, max31855, contact)'],
  ["a bus pin", (p) => (p.actuators[0].pin = 21), "profile skid.json: actuators[0].pin: pin 21 is used twice (also the I2C bus (SDA))"],
  ["two transmitters on one ADS1115 input", (p) => {
    p.chips.push({ id: "adc", type: "ads1115" });
    p.channels.push({ name: "a1", chip: "adc", input: 1, range: [0, 10], signal: { kind: "constant", value: 1 } }, { name: "a2", chip: "adc", input: 1, range: [0, 5], signal: { kind: "constant", value: 1 } });
  }, 'profile skid.json: channels[4].input: input 1 of chip "adc" is already used'],
  ["a range on a probe", (p) => (p.channels[1].range = [0, 1]), "profile skid.json: channels[1].range: only for a channel on an ADS1115 or analog chip, not probe"],
  ["address used twice", (p) => (p.chips[2].address = 16), 'profile skid.json: chips[2].address: I2C address 0x10 is used twice (also chip "p1")'],
  ["bad address", (p) => (p.chips[1].address = "0x99"), "profile skid.json: chips[1].address: must be 0x8..0x77, got 0x99"],
  ["pin used twice", (p) => (p.actuators[0].feedback_pin = 25), 'profile skid.json: actuators[0].feedback_pin: pin 25 is used twice (also actuator "pump")'],
  ["two actuators on one pin", (p) => p.actuators.push({ name: "fan", type: "pwm", pin: 26 }), 'profile skid.json: actuators[1].pin: pin 26 is used twice (also actuator "pump" feedback)'],
  ["coupling to a missing channel", (p) => (p.channels[2].couplings[0].channel = "inflow"), 'profile skid.json: channels[2].couplings[0].channel: no channel "inflow"'],
  ["coupling to a missing actuator", (p) => (p.channels[1].couplings[0].actuator = "valve"), 'profile skid.json: channels[1].couplings[0].actuator: no actuator "valve" (actuators: pump)'],
  ["coupling with both sources", (p) => (p.channels[1].couplings[0].channel = "temp"), 'profile skid.json: channels[1].couplings[0]: needs exactly one of "actuator" or "channel", got {"actuator":"pump","on":120,"tau_s":3...'],
  ["coupling loop", (p) => p.channels[1].couplings.push({ channel: "level", on: 1 }), "profile skid.json: channels[1].couplings: channel couplings form a loop: flow -> level -> flow"],
  ["duplicate channel", (p) => (p.channels[2].name = "flow"), 'profile skid.json: channels[2].name: channel "flow" is declared twice'],
  ["bad channel name", (p) => (p.channels[0].name = "Temp"), 'profile skid.json: channels[0].name: "Temp" is not a name of 1-16 of a-z 0-9 _, starting with a letter'],
  ["quantity read twice", (p) => p.channels.push({ name: "t2", chip: "room", measure: "temperature", signal: { kind: "constant", value: 1 } }), 'profile skid.json: channels[3].measure: temperature of chip "room" is already read by another channel'],
  ["one probe, two channels", (p) => p.channels.push({ name: "f2", chip: "p1", signal: { kind: "constant", value: 1 } }), 'profile skid.json: channels[3].chip: chip "p1" (probe) takes at most 1 channel(s)'],
  ["unknown unit", (p) => (p.channels[1].unit = "gpm"), 'profile skid.json: channels[1].unit: unknown "gpm" (one of: , Cel, %RH, Pa, A, V, W, Hz, m/s2, /s, %, m, kg, l/s, m3, count, /, s, m3/s)'],
  ["relay safe state", (p) => (p.actuators[0].safe_state = 50), "profile skid.json: actuators[0].safe_state: a relay's safe state is 0 or 100, got 50"],
  ["fault target", (p) => (p.faults[0].target = "nowhere"), 'profile skid.json: faults[0].target: no chip or channel "nowhere"'],
  ["fault kind", (p) => (p.faults[0].fault = "melt"), 'profile skid.json: faults[0].fault: unknown "melt" (one of: nack, stuck, open, noise, spike, drift)'],
  ["unknown top field", (p) => (p.chanels = []), "profile skid.json: chanels: unknown field (allowed: name, description, seed, data, chips, channels, actuators, faults, rules, modbus)"],
  ["rule on a missing channel", (p) => (p.rules[0].input = "lvl"), 'profile skid.json: rules: rule.drain.input "lvl" is not a channel (channels: temp, flow, level)'],
  ["rule field out of range", (p) => (p.rules[0].priority = 500), "profile skid.json: rules[0].priority: rule.drain.priority must be 0..100, got 500"],
  ["unknown rule field", (p) => (p.rules[0].kind = "x"), "profile skid.json: rules[0].kind: unknown field (allowed: name, type, input, output, on_above, on_below, off_below, off_above, value, else, priority, stale_s)"],
  ["no channels", (p) => (p.channels = []), "profile skid.json: channels: needs at least one channel"],
  ["min above max", (p) => (p.channels[2].min = 200), "profile skid.json: channels[2].max: must not be below min 200, got 100"],
];

test("profile validation: each error names the file and the field, and quotes the value", (t) => {
  t.notThrows(() => validateProfile(base(), "skid.json"));
  for (const [what, change, message] of BAD) {
    const profile = base();
    change(profile);
    t.throws(() => validateProfile(profile, "skid.json"), { message }, what);
  }
});

test("JSON syntax errors name the line and column", (t) => {
  t.throws(() => parseProfile('{\n  "name": "x",\n  "channels": [,]\n}', "bad.json"), { message: /^profile bad\.json: line 3, column 16: not JSON: unexpected "," / });
});

test("a profile gives the node's config for its channels and actuators", (t) => {
  const config = profileConfig(validateProfile(base(), "skid.json"));
  t.like(config, {
    "ch.temp.type": "sht3x", "ch.temp.measure": "temperature", "ch.temp.address": "0x44", "ch.temp.unit": "Cel", "ch.temp.interval": "1000",
    "ch.flow.type": "probe", "ch.flow.measure": "value", "ch.flow.address": "0x10", "ch.flow.unit": "l/s",
    "act.pump.type": "relay", "act.pump.pin": "25", "act.pump.feedback_pin": "26", "act.pump.feedback_s": "5",
    "rule.drain.type": "threshold", "rule.drain.input": "level", "rule.drain.on_above": "80", "rule.drain.off_below": "20", "rule.drain.else": "0",
  });
});
