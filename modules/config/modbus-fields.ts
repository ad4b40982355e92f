import { REGISTER_FORMATS } from "../io/modbus/register-format.js";
import { pattern } from "../util/pattern.js";
import type { KeySpec } from "./key-spec.js";

/**
 * Fields of one Modbus RTU device `mb.<dev>.<field>` on the node's RS-485
 * port (Modbus over Serial Line V1.02: unit addresses 1-247, section 2.2;
 * the default even parity, section 2.5.1). Setting `type` (rtu) creates the
 * device; the channels of type `modbus` name it in `ch.<name>.device`.
 */
export const MODBUS_DEVICE_FIELDS: Readonly<Record<string, KeySpec>> = Object.freeze({
  type: { type: "enum", values: ["rtu"], help: "rtu (Modbus RTU on the RS-485 port); setting it creates the device", restart: true },
  address: { type: "int", default: 1, min: 1, max: 247, help: "the device's unit address", restart: true },
  baud: { type: "int", default: 9600, min: 1200, max: 115200, unit: "baud", help: "line speed (every device on the port shares it)", restart: true },
  parity: { type: "enum", values: ["none", "even", "odd"], default: "even", help: "parity (every device on the port shares it)", restart: true },
  stop_bits: { type: "int", default: 1, min: 1, max: 2, help: "stop bits (2 is usual with parity none)", restart: true },
  poll: { type: "int", default: 1000, min: 50, max: 3_600_000, unit: "ms", help: "how often its channels' registers are read", restart: true },
  timeout: { type: "int", default: 200, min: 10, max: 5000, unit: "ms", help: "response time-out", restart: true },
});

/**
 * Fields of a Modbus actuator `act.<name>.<field>` (types modbus_coil and
 * modbus_register), beside the fields every actuator has. None has a
 * default in the table (a relay must not get them); resolve.ts applies
 * format u16, scale 1, offset 0 and the format's range. The register holds
 * (value − offset) / scale, as a `modbus` channel reading it back has
 * value = register × scale + offset.
 */
export const MODBUS_ACTUATOR_FIELDS: Readonly<Record<string, KeySpec>> = Object.freeze({
  device: { type: "string", pattern: pattern(String.raw`^[a-z][a-z0-9_]{0,15}$`), patternHelp: "the name of an mb.<dev> device", help: "modbus_coil/modbus_register: the device (mb.<dev>) written", restart: true },
  register: { type: "int", min: 0, max: 65535, help: "modbus_coil/modbus_register: the coil or holding register written (protocol address, 0-based)", restart: true },
  format: { type: "enum", values: [...REGISTER_FORMATS], help: "modbus_register: u16 s16 u32 s32 f32 (high word first) or u32sw s32sw f32sw; not set: u16", restart: true },
  scale: { type: "decimal", min: -1e9, max: 1e9, help: "modbus_register: the register holds (value - offset) / scale; not set: 1", restart: true },
  offset: { type: "decimal", min: -1e9, max: 1e9, help: "modbus_register: see scale; not set: 0", restart: true },
  min: { type: "decimal", min: -1e12, max: 1e12, help: "modbus_register: lowest value a command may set; not set: what the format holds", restart: true },
  max: { type: "decimal", min: -1e12, max: 1e12, help: "modbus_register: highest value a command may set; not set: what the format holds", restart: true },
  rewrite_s: { type: "int", min: 0, max: 86_400, unit: "s", help: "modbus_coil/modbus_register: write the value again this often, for a device that forgets it (power loss, a keypad); not set or 0: only on a change and after a failed write", restart: true },
});
