/**
 * Validation of config values against the schema: text typed at the console,
 * values read back from flash or sent over MQTT, and the cross-key rules that
 * `save` checks on the whole config. Wrong shape → TypeError, wrong value →
 * RangeError; messages name the key and the value.
 */
import { escapeControls } from "../util/escape-controls.js";
import { utf8Length } from "../util/utf8.js";
import { checkChannels } from "./channel-rules.js";
import { checkPinSharing } from "./pin-uses.js";
import { checkClientCertificate } from "./client-cert-rule.js";
import { checkRules } from "./rule-checks.js";
import { channelFieldNames } from "./channel-fields.js";
import { GROUP_MAX, GROUP_NAME, GROUPS, groupNames, KEYS, lookupKey, type GroupId, type KeyRef, type KeySpec, type RawConfig, type Value } from "./schema.js";
import { nearest } from "../util/nearest.js";
import { checkModbus } from "./check-modbus.js";
import { checkActuatorTypes } from "./check-modbus-actuators.js";

export { nearest };

/** An unknown key; the message names the nearest valid one when there is one. */
export class UnknownKeyError extends RangeError {
  override name = "UnknownKeyError";
  /** The console's ERR code. */
  readonly code = "unknown-key";
}

/** A whole-config rule (two channels on one pin, ...) that `save` refuses. */
export class ConfigRuleError extends RangeError {
  override name = "ConfigRuleError";
  /** The console's ERR code. */
  readonly code = "rule";
}

/** Shows a value in a message: strings quoted and clipped, secrets hidden. */
export function showValue(value: unknown, spec?: KeySpec): string {
  if (spec?.secret) return "(secret)";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (spec?.hex && typeof value === "number" && Number.isInteger(value)) return `0x${value.toString(16)}`;
  return String(value);
}

/**
 * Looks a key up; throws UnknownKeyError with the nearest valid key. With
 * `raw`, a channel's field resolves to its type's spec, and a field its type
 * does not have is unknown.
 */
export function requireKey(key: string, raw?: RawConfig): KeyRef {
  const ref = lookupKey(key, raw);
  if (ref) return ref;
  const union = raw ? lookupKey(key) : undefined;
  if (union?.kind === "group" && union.group === "ch") {
    const type = String(raw!.get(`ch.${union.name}.type`));
    throw new UnknownKeyError(`${key} is not a field of ${type} channels; their fields are ${channelFieldNames(type).join(", ")}`);
  }
  const shown = JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key);
  const parts = key.split(".");
  if ((parts[0] === "ch" || parts[0] === "act" || parts[0] === "mb" || parts[0] === "rule") && parts.length === 3) {
    const group = GROUPS[parts[0] as GroupId];
    if (!GROUP_NAME.test(parts[1])) throw new UnknownKeyError(`${group.label} name ${JSON.stringify(parts[1])} must match [a-z][a-z0-9_]{0,15}`);
    if ((group.reserved as readonly string[]).includes(parts[2])) throw new UnknownKeyError(`${shown}: ${group.label} field "${parts[2]}" is reserved for a later firmware`);
    const near = nearest(parts[2], Object.keys(group.fields));
    throw new UnknownKeyError(`unknown key ${shown}; ${group.label} fields are ${Object.keys(group.fields).join(", ")}${near ? `; did you mean "${parts[0]}.${parts[1]}.${near}"?` : ""}`);
  }
  const candidates = [...Object.keys(KEYS), ...(raw ? [...raw.keys()] : [])];
  const near = nearest(key, candidates);
  throw new UnknownKeyError(`unknown key ${shown}${near ? `; did you mean "${near}"?` : "; type show for the keys"}`);
}

/** Parses console text for `key` into a typed value; throws TypeError/RangeError naming key and value. */
export function parseText(key: string, text: string, raw?: RawConfig): Value {
  const ref = requireKey(key, raw);
  const spec = ref.spec;
  switch (spec.type) {
    case "int": {
      const t = text.trim();
      let n: number;
      if (/^[+-]?[0-9]{1,12}$/.test(t)) n = Number(t);
      else if (/^0x[0-9a-fA-F]{1,8}$/.test(t)) n = parseInt(t.slice(2), 16);
      else throw new TypeError(`${key} must be an integer${unitText(spec)}, got ${showValue(text, spec)}`);
      return checkValue(key, n, raw);
    }
    case "decimal": {
      const t = text.trim();
      if (!isDecimalText(t)) throw new TypeError(`${key} must be a decimal number such as -1.25 or 2e-3${unitText(spec)}, got ${showValue(text, spec)}`);
      return checkValue(key, Number(t), raw);
    }
    case "bool": {
      const t = text.trim().toLowerCase();
      if (["true", "on", "yes", "1"].includes(t)) return true;
      if (["false", "off", "no", "0"].includes(t)) return false;
      throw new TypeError(`${key} must be true or false, got ${showValue(text, spec)}`);
    }
    default:
      return checkValue(key, text, raw);
  }
}

/** `[+-]digits[.digits][e[+-]digits]` (or `.digits`), at most 32 characters: what `decimal` keys accept as text. */
function isDecimalText(t: string): boolean {
  if (t.length === 0 || t.length > 32) return false;
  let i = t[0] === "+" || t[0] === "-" ? 1 : 0;
  const digits = () => {
    const from = i;
    while (i < t.length && t[i] >= "0" && t[i] <= "9") i++;
    return i - from;
  };
  let mantissa = digits();
  if (t[i] === ".") {
    i++;
    mantissa += digits();
  }
  if (mantissa === 0) return false;
  if (t[i] === "e" || t[i] === "E") {
    i++;
    if (t[i] === "+" || t[i] === "-") i++;
    if (digits() === 0) return false;
  }
  return i === t.length;
}

/** Checks a typed value (from flash, MQTT or parseText) against the key's spec (with `raw`, a channel's type's spec); returns it. */
export function checkValue(key: string, value: unknown, raw?: RawConfig): Value {
  const { spec } = requireKey(key, raw);
  const shown = showValue(value, spec);
  switch (spec.type) {
    case "int":
      if (typeof value !== "number" || !Number.isInteger(value)) throw new TypeError(`${key} must be an integer${unitText(spec)}, got ${shown}`);
      if (value < spec.min! || value > spec.max!)
        throw new RangeError(`${key} must be ${showValue(spec.min, spec)}..${showValue(spec.max, spec)}${unitText(spec)}, got ${shown}`);
      return value;
    case "decimal":
      if (typeof value !== "number" || !Number.isFinite(value)) throw new TypeError(`${key} must be a finite decimal number${unitText(spec)}, got ${shown}`);
      if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max))
        throw new RangeError(`${key} must be ${spec.min}..${spec.max}${unitText(spec)}, got ${shown}`);
      return value;
    case "bool":
      if (typeof value !== "boolean") throw new TypeError(`${key} must be true or false, got ${shown}`);
      return value;
    case "enum":
      if (typeof value !== "string") throw new TypeError(`${key} must be one of ${spec.values!.join(", ")}, got ${shown}`);
      if (!spec.values!.includes(value)) {
        const near = nearest(value, spec.values!);
        throw new RangeError(`${key} must be one of ${spec.values!.join(", ")}, got ${shown}${near ? `; did you mean "${near}"?` : ""}`);
      }
      return value;
    default: {
      if (typeof value !== "string") throw new TypeError(`${key} must be a string, got ${shown}`);
      if (escapeControls(value) !== value) throw new RangeError(`${key} must not contain control characters, got ${shown}`);
      const bytes = utf8Length(value);
      if (spec.maxBytes !== undefined && bytes > spec.maxBytes) throw new RangeError(`${key} must be at most ${spec.maxBytes} bytes, got ${bytes}`);
      if (spec.pattern && !spec.pattern.test(value)) throw new RangeError(`${key} must be ${spec.patternHelp}, got ${shown}`);
      const reason = spec.check?.(value);
      if (reason) throw new RangeError(`${key}: ${reason}`);
      return value;
    }
  }
}

/**
 * Checks the whole config: every value against its spec, and the rules
 * between keys, then `extraRules` (the board's pin map at save). Throws one
 * ConfigRuleError listing every broken rule, so a technician sees them all at once.
 */
export function checkConfig(raw: RawConfig, extraRules?: (raw: RawConfig, problems: string[]) => void): void {
  const problems: string[] = [];
  for (const [key, value] of raw) {
    const ref = lookupKey(key);
    // A channel's field is checked against its own type's spec, all problems listed at once.
    if (ref?.kind === "group" && ref.group === "ch" && raw.has(`ch.${ref.name}.type`)) {
      try {
        checkValue(key, value, raw);
      } catch (error) {
        problems.push((error as Error).message);
      }
    } else checkValue(key, value);
  }
  const url = String(raw.get("mqtt.url") ?? "");
  const port = /:([0-9]+)$/.exec(url)?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) problems.push(`mqtt.url port must be 1..65535, got ${port}`);
  if (url.startsWith("mqtts://") && port === undefined) problems.push(`mqtt.url: mqtts:// needs an explicit port (usually 8883), got ${showValue(url)}`);
  if (!url.startsWith("mqtts://") && (raw.get("mqtt.tls_ca") || raw.get("mqtt.tls_fingerprint"))) problems.push("mqtt.tls_ca / mqtt.tls_fingerprint need an mqtts:// mqtt.url");
  checkClientCertificate(raw, url, problems);
  const keepalive = Number(raw.get("mqtt.keepalive"));
  const maxInterval = Number(raw.get("telemetry.max_interval"));
  const batch = Number(raw.get("telemetry.batch_size"));
  const channels = groupNames(raw, "ch");
  const actuators = groupNames(raw, "act");
  const rules = groupNames(raw, "rule");
  if (rules.length > GROUP_MAX) problems.push(`at most ${GROUP_MAX} rules, got ${rules.length}`);
  checkRules(raw, rules, channels, actuators, problems);
  if (channels.length > GROUP_MAX) problems.push(`at most ${GROUP_MAX} channels, got ${channels.length}`);
  if (actuators.length > GROUP_MAX) problems.push(`at most ${GROUP_MAX} actuators, got ${actuators.length}`);
  if (batch > 1 && channels.length === 0) problems.push(`telemetry.batch_size ${batch} with no channels: set it to 1 or add a channel`);
  if (!(keepalive > 0)) problems.push("mqtt.keepalive must be set");
  if (!(maxInterval > 0)) problems.push("telemetry.max_interval must be set");

  checkChannels(raw, channels, maxInterval, problems);
  checkPinSharing(raw, problems);
  checkModbus(raw, problems);
  checkActuatorTypes(raw, problems);
  for (const key of raw.keys()) {
    const ref = lookupKey(key);
    if (ref?.kind === "group" && !raw.has(`${ref.group}.${ref.name}.type`)) problems.push(`${key} belongs to no ${GROUPS[ref.group].label} (set ${ref.group}.${ref.name}.type first)`);
  }
  extraRules?.(raw, problems);
  if (problems.length > 0) throw new ConfigRuleError(problems.join("; "));
}

function unitText(spec: KeySpec): string {
  return spec.unit ? ` (${spec.unit})` : "";
}

