/**
 * Machine profiles: a JSON file that declares the simulated chips on the
 * board, the machine's quantities behind them (signal models and actuator
 * couplings), the actuators and a fault schedule (README, "Simulated
 * machines"). `readProfile` validates it whole before anything starts; each
 * error names the file and the field.
 */
import { SENML_UNITS } from "../../../modules/config/channel-fields.js";
import { RULE_FIELDS } from "../../../modules/config/rule-fields.js";
import { checkRules } from "../../../modules/config/rule-checks.js";
import { GROUP_MAX, groupNames, type RawConfig } from "../../../modules/config/schema.js";
import { parseText } from "../../../modules/config/validate.js";
import { BUS_PINS, CHIP_TYPES, DEFAULT_ADDRESS, dividerFor } from "./chip-types.js";
import { SimInputError } from "./input-error.js";
import { JsonReader, parseJsonText, show } from "./json-reader.js";
import { SIGNAL_KINDS, type SignalSpec } from "./signals.js";
import { modbusInstanceNames, readProfileModbus, type ProfileModbus } from "./profile-modbus.js";

export interface ChipSpec {
  id: string;
  type: string;
  address?: number;
  /** GPIO of an ADC transmitter or a contact. */
  pin?: number;
  /** SPI chip-select pin. */
  select?: number;
}

/** How a source (an actuator's output 0..1, or another channel's value) drives a channel. */
export type CouplingSpec =
  | { source: { actuator: string } | { channel: string }; mode: "add" | "scale"; on: number; off: number; tau_s: number }
  | { source: { actuator: string } | { channel: string }; mode: "rate"; rate: number };

export interface ChannelSpec {
  name: string;
  chip: string;
  measure: string;
  unit: string;
  interval_ms: number;
  signal: SignalSpec;
  /** Used instead of `signal` when it reads a CSV column and the profile's data file is absent. */
  fallback?: SignalSpec;
  couplings: CouplingSpec[];
  min?: number;
  max?: number;
  /** A transmitter's input on its ADS1115 (0-3). */
  input?: number;
  /** A transmitter's range: the value at 4 mA (0 V) and at 20 mA (10 V). */
  range?: [number, number];
  /** A transmitter's output. */
  output?: "4-20mA" | "0-10V";
}

export interface ActuatorSpec {
  name: string;
  type: "relay" | "pwm";
  pin: number;
  safe_state: number;
  min_on_s: number;
  min_off_s: number;
  failsafe_s: number;
  invert: boolean;
  /** The machine answers on this input pin (contactor aux contact), `feedback_delay_s` after the output. */
  feedback_pin?: number;
  feedback_delay_s: number;
  feedback_s: number;
}

/** Faults the simulator can inject (fault-injector.ts). */
export const FAULT_KINDS = ["nack", "stuck", "open", "noise", "spike", "drift"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSpec {
  at_s: number;
  target: string;
  fault: FaultKind;
  for_s?: number;
}

export interface Profile {
  /** The file it came from, for messages. */
  file: string;
  name: string;
  description: string;
  seed: number;
  /** A CSV that `csv` signals read (path as written, resolved by the caller), and whether it repeats. */
  data?: { csv: string; loop: boolean };
  chips: ChipSpec[];
  channels: ChannelSpec[];
  actuators: ActuatorSpec[];
  faults: FaultSpec[];
  /** The node's local rules that ship with the machine: `rule.<name>.<field>` = text (modules/config/rule-fields.ts). */
  rules: Record<string, string>;
  /** Simulated Modbus slaves and the node's devices, channels and actuators for them (profile-modbus.ts). */
  modbus?: ProfileModbus;
}

const NAME = /^[a-z][a-z0-9_]{0,15}$/;
const NAME_HELP = "a name of 1-16 of a-z 0-9 _, starting with a letter";
/** Units the node reports (SENML_UNITS), and "" for none. */
const UNITS: readonly string[] = ["", ...SENML_UNITS];

/**
 * Validates a parsed profile. Throws SimInputError `profile <file>: <field>:
 * <problem>` for the first problem: a wrong type or range, an unknown field
 * or kind, a chip, channel or actuator that refers to a missing one, a name,
 * I2C address or pin used twice, a coupling cycle.
 */
export function validateProfile(value: unknown, file: string): Profile {
  const label = `profile ${file}`;
  const root = new JsonReader(label, "", value).object(["name", "description", "seed", "data", "chips", "channels", "actuators", "faults", "rules", "modbus"], ["name", "channels"]);
  const profile: Profile = {
    file,
    name: root.at("name").string({ maxLength: 40 }),
    description: root.at("description").string({ maxLength: 1000, fallback: "" }),
    seed: root.at("seed").number({ integer: true, min: 0, max: 2 ** 32 - 1, fallback: 1 }),
    chips: [],
    channels: [],
    actuators: [],
    faults: [],
    rules: {},
  };
  const data = root.at("data");
  if (data.present) {
    data.object(["csv", "loop"], ["csv"]);
    profile.data = { csv: data.at("csv").string({ maxLength: 400 }), loop: data.at("loop").boolean(true) };
  }

  const addresses = new Map<number, string>();
  const pins = new Map<number, string>(Object.entries(BUS_PINS).map(([pin, owner]) => [Number(pin), owner]));
  const claimPin = (reader: JsonReader, pin: number, owner: string) => {
    const other = pins.get(pin);
    if (other) reader.fail(`pin ${pin} is used twice (also ${other})`);
    pins.set(pin, owner);
  };
  for (const chip of root.at("chips").array(16)) {
    chip.object(["id", "type", ...new Set(Object.values(CHIP_TYPES).flatMap((t) => t.fields))], ["id", "type"]);
    const id = chip.at("id").string({ pattern: NAME, patternHelp: NAME_HELP });
    if (profile.chips.some((c) => c.id === id)) chip.at("id").fail(`chip "${id}" is declared twice`);
    const type = chip.at("type").oneOf(Object.keys(CHIP_TYPES));
    const info = CHIP_TYPES[type];
    chip.object(["id", "type", ...info.fields], ["id", "type", ...info.required]);
    const spec: ChipSpec = { id, type };
    if (info.fields.includes("address")) {
      const address = chip.at("address").present ? chip.at("address").integerOrHex(0x08, 0x77) : DEFAULT_ADDRESS[type];
      if (address !== undefined) {
        const other = addresses.get(address);
        if (other) chip.at("address").fail(`I2C address 0x${address.toString(16)} is used twice (also chip "${other}")`);
        addresses.set(address, id);
        spec.address = address;
      }
    }
    for (const field of ["pin", "select"] as const) {
      if (!info.fields.includes(field)) continue;
      spec[field] = chip.at(field).number({ integer: true, min: 0, max: 48 });
      claimPin(chip.at(field), spec[field]!, `chip "${id}"`);
    }
    profile.chips.push(spec);
  }

  for (const act of root.at("actuators").array(16)) {
    act.object(["name", "type", "pin", "safe_state", "min_on_s", "min_off_s", "failsafe_s", "invert", "feedback_pin", "feedback_delay_s", "feedback_s"], ["name", "type", "pin"]);
    const name = act.at("name").string({ pattern: NAME, patternHelp: NAME_HELP });
    if (profile.actuators.some((a) => a.name === name)) act.at("name").fail(`actuator "${name}" is declared twice`);
    const type = act.at("type").oneOf(["relay", "pwm"] as const);
    const pin = act.at("pin").number({ integer: true, min: 0, max: 48 });
    claimPin(act.at("pin"), pin, `actuator "${name}"`);
    const spec: ActuatorSpec = {
      name, type, pin,
      safe_state: act.at("safe_state").number({ min: 0, max: 100, integer: true, fallback: 0 }),
      min_on_s: act.at("min_on_s").number({ min: 0, max: 86_400, integer: true, fallback: 0 }),
      min_off_s: act.at("min_off_s").number({ min: 0, max: 86_400, integer: true, fallback: 0 }),
      failsafe_s: act.at("failsafe_s").number({ min: 0, max: 86_400, integer: true, fallback: 0 }),
      invert: act.at("invert").boolean(false),
      feedback_delay_s: act.at("feedback_delay_s").number({ min: 0, max: 3600, fallback: 0.5 }),
      feedback_s: act.at("feedback_s").number({ min: 1, max: 3600, integer: true, fallback: 5 }),
    };
    if (type === "relay" && spec.safe_state !== 0 && spec.safe_state !== 100) act.at("safe_state").fail(`a relay's safe state is 0 or 100, got ${spec.safe_state}`);
    if (act.at("feedback_pin").present) {
      spec.feedback_pin = act.at("feedback_pin").number({ integer: true, min: 0, max: 48 });
      claimPin(act.at("feedback_pin"), spec.feedback_pin, `actuator "${name}" feedback`);
    }
    profile.actuators.push(spec);
  }

  const channelReaders = root.at("channels").array(16, false);
  if (channelReaders.length === 0) root.at("channels").fail("needs at least one channel");
  const names = new Set<string>();
  for (const ch of channelReaders) {
    ch.object(["name", "chip", "measure", "unit", "interval_ms", "signal", "fallback", "couplings", "min", "max", "input", "range", "output"], ["name", "chip", "signal"]);
    const name = ch.at("name").string({ pattern: NAME, patternHelp: NAME_HELP });
    if (names.has(name)) ch.at("name").fail(`channel "${name}" is declared twice`);
    names.add(name);
  }
  for (const ch of channelReaders) {
    const name = String((ch.value as Record<string, unknown>).name);
    const chipId = ch.at("chip").string();
    const chip = profile.chips.find((c) => c.id === chipId);
    if (!chip) ch.at("chip").fail(`no chip "${chipId}" (chips: ${profile.chips.map((c) => c.id).join(", ") || "none"})`);
    const info = CHIP_TYPES[chip!.type];
    const measures = Object.keys(info.measures);
    const measure = ch.at("measure").oneOf(measures, measures.length === 1 ? measures[0] : undefined);
    if (profile.channels.filter((c) => c.chip === chipId).length >= info.maxChannels) ch.at("chip").fail(`chip "${chipId}" (${chip!.type}) takes at most ${info.maxChannels} channel(s)`);
    if (!info.channelFields?.includes("input") && profile.channels.some((c) => c.chip === chipId && c.measure === measure)) ch.at("measure").fail(`${measure} of chip "${chipId}" is already read by another channel`);
    const unit = ch.at("unit").oneOf(UNITS, info.measures[measure]);
    const spec: ChannelSpec = {
      name, chip: chipId, measure, unit,
      interval_ms: ch.at("interval_ms").number({ integer: true, min: 100, max: 86_400_000, fallback: 1000 }),
      signal: readSignal(ch.at("signal"), profile),
      couplings: ch.at("couplings").array(8).map((c) => readCoupling(c, profile, names)),
    };
    if (ch.at("fallback").present) spec.fallback = readSignal(ch.at("fallback"), profile);
    if (ch.at("min").present) spec.min = ch.at("min").number();
    if (ch.at("max").present) spec.max = ch.at("max").number();
    if (spec.min !== undefined && spec.max !== undefined && spec.min > spec.max) ch.at("max").fail(`must not be below min ${spec.min}, got ${spec.max}`);
    const own = info.channelFields ?? [];
    for (const field of ["input", "range", "output"]) if (ch.at(field).present && !own.includes(field)) ch.at(field).fail(`only for a channel on an ADS1115 or analog chip, not ${chip!.type}`);
    if (own.includes("input")) {
      spec.input = ch.at("input").number({ integer: true, min: 0, max: 3 });
      if (profile.channels.some((c) => c.chip === chipId && c.input === spec.input)) ch.at("input").fail(`input ${spec.input} of chip "${chipId}" is already used`);
    }
    if (own.includes("range")) {
      const range = ch.at("range").array(2, false).map((r) => r.number());
      if (range.length !== 2 || range[0] === range[1]) ch.at("range").fail(`expected [value at 4 mA, value at 20 mA], two different numbers, got ${show(ch.at("range").value)}`);
      spec.range = [range[0], range[1]];
      spec.output = ch.at("output").oneOf(["4-20mA", "0-10V"] as const, "4-20mA");
    }
    profile.channels.push(spec);
  }
  checkCycles(profile, root);

  for (const fault of root.at("faults").array(64)) {
    fault.object(["at_s", "target", "fault", "for_s"], ["at_s", "target", "fault"]);
    const target = fault.at("target").string();
    if (!profile.chips.some((c) => c.id === target) && !names.has(target))
      fault.at("target").fail(`no chip or channel "${target}"`);
    const spec: FaultSpec = { at_s: fault.at("at_s").number({ min: 0, max: 31_536_000 }), target, fault: fault.at("fault").oneOf(FAULT_KINDS) };
    if (fault.at("for_s").present) spec.for_s = fault.at("for_s").number({ positive: true, max: 31_536_000 });
    profile.faults.push(spec);
  }
  const modbus = readProfileModbus(root.at("modbus"), { channels: profile.channels.map((c) => c.name), actuators: profile.actuators.map((a) => a.name) });
  if (modbus) profile.modbus = modbus;
  readRules(root, profile);
  return profile;
}

/** `rules`: [{ "name": "cooling", "type": "threshold", "input": ..., ... }], each field checked as the node's `set` checks it, then the rules together as its `save` does. */
function readRules(root: JsonReader, profile: Profile): void {
  const raw: RawConfig = new Map();
  for (const entry of root.at("rules").array(GROUP_MAX)) {
    entry.object(["name", ...Object.keys(RULE_FIELDS)], ["name", "type"]);
    const name = entry.at("name").string({ pattern: NAME, patternHelp: NAME_HELP });
    for (const field of Object.keys(entry.value as object)) {
      if (field === "name") continue;
      const value = entry.at(field).value;
      if (typeof value !== "string" && typeof value !== "number") entry.at(field).fail(`expected a string or a number, got ${JSON.stringify(value)}`);
      const key = `rule.${name}.${field}`;
      try {
        raw.set(key, parseText(key, String(value)));
      } catch (error) {
        entry.at(field).fail((error as Error).message);
      }
      profile.rules[key] = String(value);
    }
  }
  const problems: string[] = [];
  checkRules(raw, groupNames(raw, "rule"), [...profile.channels.map((c) => c.name), ...modbusInstanceNames(profile.modbus, "ch")], [...profile.actuators.map((a) => a.name), ...modbusInstanceNames(profile.modbus, "act")], problems);
  if (problems.length > 0) root.at("rules").fail(problems.join("; "));
}

/** Reads and validates a profile from its JSON text. Throws SimInputError naming `file`, the line or the field. */
export function parseProfile(text: string, file: string): Profile {
  return validateProfile(parseJsonText(text, `profile ${file}`), file);
}

const SIGNAL_FIELDS: Record<(typeof SIGNAL_KINDS)[number], string[]> = {
  constant: ["value"],
  sine: ["offset", "amplitude", "period_s", "phase_s"],
  random_walk: ["start", "step", "every_s", "min", "max"],
  step: ["before", "after", "at_s"],
  ramp: ["from", "to", "start_s", "duration_s"],
  noise: ["mean", "sd"],
  spikes: ["base", "height", "every_s", "width_s"],
  csv: ["column", "scale", "offset"],
};

function readSignal(r: JsonReader, profile: Profile, depth = 0): SignalSpec {
  r.object(["kind", "add", ...new Set(Object.values(SIGNAL_FIELDS).flat())], ["kind"]);
  const kind = r.at("kind").oneOf(SIGNAL_KINDS);
  r.object(["kind", "add", ...SIGNAL_FIELDS[kind]], ["kind"]);
  const n = (key: string, options: Parameters<JsonReader["number"]>[0] = {}) => r.at(key).number(options);
  let spec: SignalSpec;
  switch (kind) {
    case "constant": spec = { kind, value: n("value") }; break;
    case "sine": spec = { kind, offset: n("offset", { fallback: 0 }), amplitude: n("amplitude"), period_s: n("period_s", { positive: true }), phase_s: n("phase_s", { fallback: 0 }) }; break;
    case "random_walk": {
      const min = n("min");
      const max = n("max");
      if (min > max) r.at("max").fail(`must not be below min ${min}, got ${max}`);
      spec = { kind, start: n("start", { min, max }), step: n("step", { min: 0 }), every_s: n("every_s", { positive: true, fallback: 1 }), min, max };
      break;
    }
    case "step": spec = { kind, before: n("before"), after: n("after"), at_s: n("at_s", { min: 0 }) }; break;
    case "ramp": spec = { kind, from: n("from"), to: n("to"), start_s: n("start_s", { min: 0, fallback: 0 }), duration_s: n("duration_s", { positive: true }) }; break;
    case "noise": spec = { kind, mean: n("mean", { fallback: 0 }), sd: n("sd", { min: 0 }) }; break;
    case "spikes": {
      const width = n("width_s", { positive: true, fallback: 1 });
      spec = { kind, base: n("base", { fallback: 0 }), height: n("height"), every_s: n("every_s", { min: width }), width_s: width };
      break;
    }
    case "csv":
      if (!profile.data) r.at("column").fail("a csv signal needs the profile's data.csv (or --replay)");
      spec = { kind, column: r.at("column").string({ maxLength: 100 }), scale: n("scale", { fallback: 1 }), offset: n("offset", { fallback: 0 }) };
      break;
  }
  const add = r.at("add");
  if (add.present) {
    if (depth >= 3) add.fail("nested deeper than 3");
    spec.add = add.array(8).map((item) => readSignal(item, profile, depth + 1));
  }
  return spec;
}

function readCoupling(r: JsonReader, profile: Profile, channels: Set<string>): CouplingSpec {
  r.object(["actuator", "channel", "mode", "on", "off", "tau_s", "rate"]);
  const a = r.at("actuator");
  const c = r.at("channel");
  if (a.present === c.present) r.fail(`needs exactly one of "actuator" or "channel", got ${show(r.value)}`);
  let source: { actuator: string } | { channel: string };
  if (a.present) {
    const name = a.string();
    if (!profile.actuators.some((x) => x.name === name)) a.fail(`no actuator "${name}" (actuators: ${profile.actuators.map((x) => x.name).join(", ") || "none"})`);
    source = { actuator: name };
  } else {
    const name = c.string();
    if (!channels.has(name)) c.fail(`no channel "${name}"`);
    source = { channel: name };
  }
  const mode = r.at("mode").oneOf(["add", "scale", "rate"] as const, r.at("rate").present ? "rate" : "add");
  if (mode === "rate") {
    for (const key of ["on", "off", "tau_s"]) if (r.at(key).present) r.at(key).fail("not used with mode rate");
    return { source, mode, rate: r.at("rate").number() };
  }
  if (r.at("rate").present) r.at("rate").fail(`only with mode rate, not ${mode}`);
  return { source, mode, on: r.at("on").number(), off: r.at("off").number({ fallback: 0 }), tau_s: r.at("tau_s").number({ min: 0, fallback: 0 }) };
}

/** Channel couplings must not form a loop (a -> b -> a): values are worked out in order. */
function checkCycles(profile: Profile, root: JsonReader): void {
  const state = new Map<string, "visiting" | "done">();
  const visit = (name: string, trail: string[]) => {
    if (state.get(name) === "done") return;
    if (state.get(name) === "visiting") {
      const i = profile.channels.findIndex((c) => c.name === trail[0]);
      root.at("channels").array(16)[i].at("couplings").fail(`channel couplings form a loop: ${[...trail.slice(trail.indexOf(name)), name].join(" -> ")}`);
    }
    state.set(name, "visiting");
    const ch = profile.channels.find((c) => c.name === name)!;
    for (const c of ch.couplings) if ("channel" in c.source) visit(c.source.channel, [...trail, name]);
    state.set(name, "done");
  };
  for (const ch of profile.channels) visit(ch.name, []);
}

/**
 * The node's config for a profile's channels and actuators, as `key = text`
 * pairs for the simulator's boot defaults (`ch.<name>.*`, `act.<name>.*`).
 */
export function profileConfig(profile: Profile): Record<string, string> {
  const out: Record<string, string> = {};
  for (const ch of profile.channels) {
    const chip = profile.chips.find((c) => c.id === ch.chip)!;
    const p = `ch.${ch.name}.`;
    out[`${p}type`] = CHIP_TYPES[chip.type].channelType;
    out[`${p}measure`] = ch.measure;
    if (chip.address !== undefined) out[`${p}address`] = `0x${chip.address.toString(16)}`;
    if (chip.pin !== undefined) out[`${p}pin`] = String(chip.pin);
    if (chip.select !== undefined) out[`${p}select`] = String(chip.select);
    if (ch.input !== undefined) out[`${p}input`] = String(ch.input);
    if (ch.range) {
      out[`${p}range_low`] = String(ch.range[0]);
      out[`${p}range_high`] = String(ch.range[1]);
      out[`${p}signal`] = ch.output ?? "4-20mA";
      out[`${p}divider`] = String(dividerFor(chip.type, ch.output));
    }
    if (chip.type === "contact") out[`${p}pull`] = "none";
    out[`${p}interval`] = String(ch.interval_ms);
    if (ch.unit) out[`${p}unit`] = ch.unit;
  }
  Object.assign(out, profile.rules);
  Object.assign(out, profile.modbus?.config);
  for (const a of profile.actuators) {
    const p = `act.${a.name}.`;
    Object.assign(out, {
      [`${p}type`]: a.type, [`${p}pin`]: String(a.pin), [`${p}safe_state`]: String(a.safe_state),
      [`${p}min_on_s`]: String(a.min_on_s), [`${p}min_off_s`]: String(a.min_off_s), [`${p}failsafe_s`]: String(a.failsafe_s),
      [`${p}invert`]: String(a.invert),
    });
    if (a.feedback_pin !== undefined) {
      out[`${p}feedback_pin`] = String(a.feedback_pin);
      out[`${p}feedback_s`] = String(a.feedback_s);
    }
  }
  return out;
}

export { SimInputError };
