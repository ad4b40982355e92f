/**
 * The config schema: every key the technician (or a remote command) can set,
 * with its type, default, bounds, unit, help text and flags. Keys are flat
 * dotted names. Global keys are listed in `KEYS`; repeated groups (sensor
 * channels `ch.<name>.<field>`, actuators `act.<name>.<field>`) are listed in
 * `GROUPS` and instantiated by name. New groups (filters, alarms) slot in as
 * more entries of `GROUPS` or as more fields of a group.
 */

import { channelFieldSpec, CHANNEL_FIELDS, COMMON_CHANNEL_FIELDS, fillChannel } from "./channel-fields.js";
import type { KeySpec, Value } from "./key-spec.js";
import { MODBUS_ACTUATOR_FIELDS, MODBUS_DEVICE_FIELDS } from "./modbus-fields.js";
import { pattern } from "../util/pattern.js";
import { certificateProblem } from "../mqtt/client-identity.js";
import { RULE_FIELDS } from "./rule-fields.js";

export type { KeySpec, Value } from "./key-spec.js";
export { CHANNEL_FIELDS, SENML_UNITS } from "./channel-fields.js";

/** Flat config: key → value. Keys absent from the map take their default. */
export type RawConfig = Map<string, Value>;

/** Version of the key set; records carry it and older ones migrate (migrate.ts). */
export const SCHEMA_VERSION = 2;

/** Group instance names: channel and actuator names. */
export const GROUP_NAME = pattern(String.raw`^[a-z][a-z0-9_]{0,15}$`);

/** Most instances per group (bounded config, bounded record). */
export const GROUP_MAX = 16;

const HOST_PORT_URL = pattern(String.raw`^mqtts?:\/\/[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?$`);

/**
 * The technician's switch (console only, never remote, live): while true,
 * remote `set` may also change the keys flagged `admin`.
 */
export const REMOTE_ADMIN = "mqtt.remote_admin";

/** Global keys. */
export const KEYS: Readonly<Record<string, KeySpec>> = Object.freeze({
  "node.id": { type: "string", default: "", pattern: pattern(String.raw`^([a-z0-9][a-z0-9-]{0,31})?$`), patternHelp: "1-32 of a-z 0-9 -, starting with a letter or digit (empty: the hardware id)", help: "node id in topics and SenML names; empty uses the hardware id", restart: true },
  "node.site": { type: "string", default: "", maxBytes: 64, help: "free text: where the node is installed", remote: true },
  "wifi.ssid": { type: "string", default: "", maxBytes: 32, help: "WiFi network name", restart: true, admin: true },
  "wifi.password": { type: "string", default: "", maxBytes: 63, help: "WiFi passphrase", secret: true, restart: true, admin: true },
  "mqtt.url": { type: "string", default: "mqtt://127.0.0.1:1883", pattern: HOST_PORT_URL, patternHelp: "mqtt://host:port or mqtts://host:port", help: "MQTT broker", restart: true, admin: true },
  "mqtt.username": { type: "string", default: "", maxBytes: 64, help: "MQTT user name (empty: none)", restart: true, admin: true },
  "mqtt.password": { type: "string", default: "", maxBytes: 128, help: "MQTT password", secret: true, restart: true, admin: true },
  "mqtt.client_id": { type: "string", default: "", pattern: pattern(String.raw`^[A-Za-z0-9_-]{0,23}$`), patternHelp: "0-23 of A-Z a-z 0-9 _ - (empty: the node id)", help: "MQTT client id; empty uses the node id", restart: true, admin: true },
  "mqtt.prefix": { type: "string", default: "fieldnode", pattern: pattern(String.raw`^[A-Za-z0-9_-]{1,32}(\/[A-Za-z0-9_-]{1,32}){0,3}$`), patternHelp: "1-4 topic levels of A-Z a-z 0-9 _ -, no wildcards", help: "topic prefix", restart: true },
  [REMOTE_ADMIN]: { type: "bool", default: false, help: "let MQTT cmd/set change the broker, credential and Wi-Fi keys; whoever can publish to this node's cmd topics can then move it to another broker: enable only for a planned change, and turn off again" },
  "mqtt.keepalive": { type: "int", default: 30, min: 5, max: 3600, unit: "s", help: "MQTT keepalive", restart: true, remote: true },
  "mqtt.tls_ca": { type: "string", default: "", maxBytes: 2800, pattern: pattern(String.raw`^[A-Za-z0-9+/=]*$`), patternHelp: "base64 of a DER certificate (empty: the host's store)", check: certificateProblem, help: "CA certificate for mqtts:// (base64 DER)", restart: true, admin: true },
  "mqtt.tls_cert": { type: "string", default: "", maxBytes: 2800, pattern: pattern(String.raw`^[A-Za-z0-9+/=]*$`), patternHelp: "base64 of a DER certificate (empty: no client certificate)", help: "this node's client certificate for mqtts:// (base64 DER), with mqtt.tls_key", restart: true, admin: true },
  "mqtt.tls_key": { type: "string", default: "", maxBytes: 2400, pattern: pattern(String.raw`^[A-Za-z0-9+/=]*$`), patternHelp: "base64 of a DER PKCS#8 private key (empty: none)", help: "the private key of mqtt.tls_cert (base64 DER PKCS#8)", secret: true, restart: true, admin: true },
  "mqtt.tls_fingerprint": { type: "string", default: "", pattern: pattern(String.raw`^([0-9a-f]{64})?$`), patternHelp: "64 lower-case hex digits (SHA-256), or empty", help: "pin the broker's certificate by SHA-256 fingerprint", restart: true, admin: true },
  "telemetry.batch_size": { type: "int", default: 10, min: 1, max: 1000, unit: "readings", help: "send what waits when this many readings wait (a channel that fills a pack goes alone)", remote: true },
  "telemetry.max_interval": { type: "int", default: 10, min: 1, max: 3600, unit: "s", help: "...or when its oldest reading is this old", remote: true },
  "ota.key": { type: "string", default: "", pattern: pattern(String.raw`^(04[0-9a-fA-F]{128})?$`), patternHelp: "130 hex digits: the uncompressed P-256 public key 04||X||Y, or empty", help: "fleet update key (ECDSA P-256) that cmd/ota images must be signed with; console only, never remotely settable; empty: no updates" },
  "ota.confirm_s": { type: "int", default: 120, min: 10, max: 3600, unit: "s", help: "a new firmware must reach the broker within this time, or it rolls back; console only" },
  "ota.stall_s": { type: "int", default: 30, min: 1, max: 600, unit: "s", help: "an OTA download with no data for this long is abandoned; console only" },
  "ota.allow_downgrade": { type: "bool", default: false, help: "let cmd/ota install an image older than the running one; console only" },
  "log.level": { type: "enum", default: "info", values: ["error", "warn", "info", "debug"], help: "log level (the log command sets it live)", remote: true },
});

/** Fields of one actuator `act.<name>.<field>`. */
export const ACTUATOR_FIELDS: Readonly<Record<string, KeySpec>> = Object.freeze({
  type: { type: "enum", values: ["relay", "pwm", "modbus_coil", "modbus_register"], help: "relay (on/off), pwm (0-100 %), modbus_coil (on/off) or modbus_register (a value) of an mb.<dev> device; setting it creates the actuator", restart: true },
  pin: { type: "int", min: 0, max: 48, help: "output GPIO (relay, pwm)", restart: true },
  safe_state: { type: "decimal", default: 0, min: -1e9, max: 1e9, help: "state at boot and when control is lost (relay, coil: 0 off, 100 on; pwm: 0-100 %; register: its value)", restart: true },
  ...MODBUS_ACTUATOR_FIELDS,
  min_on_s: { type: "int", default: 0, min: 0, max: 86_400, unit: "s", help: "shortest time on before it may switch off", remote: true },
  min_off_s: { type: "int", default: 0, min: 0, max: 86_400, unit: "s", help: "shortest time off before it may switch on", remote: true },
  invert: { type: "bool", default: false, help: "drive the pin low for on", restart: true },
  failsafe_s: { type: "int", default: 0, min: 0, max: 86_400, unit: "s", help: "link-loss failsafe: no broker and no command for this long puts it in its safe state until the next command (0: off)", restart: true, remote: true },
  test_s: { type: "int", default: 600, min: 1, max: 86_400, unit: "s", help: "how long a console act test holds the output without for <s>", restart: true },
  feedback_pin: { type: "int", min: 0, max: 48, help: "run feedback: a digital input that must follow the output (optional)", restart: true },
  feedback_s: { type: "int", default: 5, min: 1, max: 3600, unit: "s", help: "run feedback must follow within this long, else a fault event", restart: true, remote: true },
});

/** Group prefixes and their field tables. */
export const GROUPS = Object.freeze({
  ch: { label: "channel", fields: CHANNEL_FIELDS, reserved: [] as string[] },
  act: { label: "actuator", fields: ACTUATOR_FIELDS, reserved: [] as string[] },
  mb: { label: "Modbus device", fields: MODBUS_DEVICE_FIELDS, reserved: [] as string[] },
  rule: { label: "rule", fields: RULE_FIELDS, reserved: [] as string[] },
} as const);

export type GroupId = keyof typeof GROUPS;

/** A parsed key: a global one, or one field of a group instance. */
export type KeyRef =
  | { kind: "global"; key: string; spec: KeySpec }
  | { kind: "group"; key: string; group: GroupId; name: string; field: string; spec: KeySpec };

/**
 * Resolves a key name to its spec, or `undefined` for an unknown key. With
 * `raw`, a field of an existing channel resolves to its type's own spec
 * (undefined when that type has no such field).
 */
export function lookupKey(key: string, raw?: RawConfig): KeyRef | undefined {
  const global = Object.prototype.hasOwnProperty.call(KEYS, key) ? KEYS[key] : undefined;
  if (global) return { kind: "global", key, spec: global };
  const parts = key.split(".");
  if (parts.length !== 3) return undefined;
  const [group, name, field] = parts;
  if (group !== "ch" && group !== "act" && group !== "mb" && group !== "rule") return undefined;
  const fields: Record<string, KeySpec> = GROUPS[group].fields;
  if (!GROUP_NAME.test(name) || !Object.prototype.hasOwnProperty.call(fields, field)) return undefined;
  const type = group === "ch" ? raw?.get(`ch.${name}.type`) : undefined;
  if (type !== undefined) {
    const spec = channelFieldSpec(String(type), field);
    return spec ? { kind: "group", key, group, name, field, spec } : undefined;
  }
  return { kind: "group", key, group, name, field, spec: fields[field] };
}

/** Factory defaults: global defaults plus the two SHT3x channels every board ships with (its type's defaults). */
export function factoryDefaults(): RawConfig {
  const raw: RawConfig = new Map();
  for (const [key, spec] of Object.entries(KEYS)) if (spec.default !== undefined) raw.set(key, spec.default);
  for (const [name, measure] of [["temp", "temperature"], ["rh", "humidity"]]) {
    raw.set(`ch.${name}.type`, "sht3x");
    raw.set(`ch.${name}.measure`, measure);
    fillInstance(raw, "ch", name);
  }
  return raw;
}

/** Every known key name (global keys, and group keys present in `raw`), sorted. */
export function allKeys(raw: RawConfig): string[] {
  const keys = new Set(Object.keys(KEYS));
  for (const key of raw.keys()) keys.add(key);
  return [...keys].sort();
}

/** Instance names of a group present in `raw` (an instance exists when its `type` is set). */
export function groupNames(raw: RawConfig, group: GroupId): string[] {
  const names: string[] = [];
  for (const key of raw.keys()) {
    const parts = key.split(".");
    if (parts[0] === group && parts[2] === "type") names.push(parts[1]);
  }
  return names.sort();
}

/**
 * Gives a new (or retyped) group instance the defaults its fields lack: the
 * field defaults, and for a channel its type's (io/sensor-registry.ts): the
 * first quantity, its unit, the chip's usual address. Existing values are kept.
 */
export function fillInstance(raw: RawConfig, group: GroupId, name: string): void {
  const prefix = `${group}.${name}.`;
  for (const [field, spec] of Object.entries((group === "ch" ? COMMON_CHANNEL_FIELDS : GROUPS[group].fields) as Record<string, KeySpec>))
    if (spec.default !== undefined && !raw.has(prefix + field)) raw.set(prefix + field, spec.default);
  if (group === "ch") fillChannel(raw, name);
}
