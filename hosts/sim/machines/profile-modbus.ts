/**
 * A profile's Modbus part (README, "Simulated machines"): the simulated
 * slaves on the RS-485 bus (`model` meter or drive at a unit `address`,
 * modules/io/models), the node's `mb.<dev>` device for each, and the
 * `modbus` channels and Modbus actuators (modbus_coil, modbus_register) that
 * read and write them. Each field is checked as the node's `set` checks its
 * key; the config as a whole is checked when the node takes the profile.
 */
import { parseText } from "../../../modules/config/validate.js";
import type { SlaveSpec } from "../../../modules/io/models/simulated-rs485.js";
import type { JsonReader } from "./json-reader.js";

/** The slaves to simulate and the node config (`key = text`) that goes with them. */
export interface ProfileModbus {
  slaves: SlaveSpec[];
  config: Record<string, string>;
}

const NAME = /^[a-z][a-z0-9_]{0,15}$/;
const NAME_HELP = "a name of 1-16 of a-z 0-9 _, starting with a letter";
const DEVICE_FIELDS = ["address", "baud", "parity", "stop_bits", "poll", "timeout"];
const CHANNEL_FIELDS = ["device", "function", "register", "format", "scale", "offset", "unit", "interval", "filter", "alarm"];
const ACTUATOR_FIELDS = ["type", "device", "register", "format", "scale", "offset", "min", "max", "safe_state", "min_on_s", "min_off_s", "failsafe_s", "test_s", "rewrite_s"];

/**
 * Reads `modbus` {devices, channels, actuators} of a profile; `taken`
 * holds the names of the profile's other channels and actuators. Throws
 * SimInputError (through the reader) naming the field.
 */
export function readProfileModbus(r: JsonReader, taken: { channels: string[]; actuators: string[] }): ProfileModbus | undefined {
  if (!r.present) return undefined;
  r.object(["devices", "channels", "actuators"], ["devices"]);
  const out: ProfileModbus = { slaves: [], config: {} };
  const set = (entry: JsonReader, field: string, key: string) => {
    const value = entry.at(field).value;
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") entry.at(field).fail(`expected a string or a number, got ${JSON.stringify(value)}`);
    try {
      parseText(key, String(value));
    } catch (error) {
      entry.at(field).fail((error as Error).message);
    }
    out.config[key] = String(value);
  };
  const devices: string[] = [];
  for (const entry of r.at("devices").array(16, false)) {
    entry.object(["name", "model", ...DEVICE_FIELDS], ["name", "model", "address"]);
    const name = entry.at("name").string({ pattern: NAME, patternHelp: NAME_HELP });
    if (devices.includes(name)) entry.at("name").fail(`device "${name}" is declared twice`);
    devices.push(name);
    const model = entry.at("model").oneOf(["meter", "drive"] as const);
    const unit = entry.at("address").number({ integer: true, min: 1, max: 247 });
    if (out.slaves.some((s) => s.unit === unit)) entry.at("address").fail(`unit ${unit} is used twice`);
    out.slaves.push({ model, unit });
    out.config[`mb.${name}.type`] = "rtu";
    for (const field of DEVICE_FIELDS) if (entry.at(field).present) set(entry, field, `mb.${name}.${field}`);
  }
  const instances = (group: "channels" | "actuators", prefix: string, fields: string[], required: string[], fixed: Record<string, string>) => {
    const names = taken[group];
    for (const entry of r.at(group).array(16)) {
      entry.object(["name", ...fields], ["name", ...required]);
      const name = entry.at("name").string({ pattern: NAME, patternHelp: NAME_HELP });
      if (names.includes(name)) entry.at("name").fail(`${group === "channels" ? "channel" : "actuator"} "${name}" is declared twice`);
      names.push(name);
      if (group === "actuators") entry.at("type").oneOf(["modbus_coil", "modbus_register"] as const);
      const device = entry.at("device").string();
      if (!devices.includes(device)) entry.at("device").fail(`no device "${device}" (devices: ${devices.join(", ")})`);
      for (const [field, value] of Object.entries(fixed)) out.config[`${prefix}.${name}.${field}`] = value;
      for (const field of fields) if (entry.at(field).present) set(entry, field, `${prefix}.${name}.${field}`);
    }
  };
  instances("channels", "ch", CHANNEL_FIELDS, ["device", "register", "unit"], { type: "modbus", measure: "value" });
  instances("actuators", "act", ACTUATOR_FIELDS, ["type", "device", "register"], {});
  return out;
}

/** Names of the channels (`ch`) or actuators (`act`) a profile's Modbus part gives the node. */
export function modbusInstanceNames(modbus: ProfileModbus | undefined, group: "ch" | "act"): string[] {
  return Object.keys(modbus?.config ?? {}).filter((k) => k.startsWith(`${group}.`) && k.endsWith(".type")).map((k) => k.split(".")[1]);
}
