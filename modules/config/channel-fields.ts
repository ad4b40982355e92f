/**
 * The `ch.<name>.<field>` keys, built from the sensor registry
 * (io/sensor-registry.ts): the fields every channel has, plus each type's
 * own. A field name that several types declare (address, pin) is accepted
 * by the schema with the union of their bounds; `save` checks each channel
 * against its own type's spec (`channelFieldSpec`).
 */
import { MAX_CHAIN_TEXT } from "../edge/chain-parser.js";
import { checkChainText } from "../edge/channel-pipeline.js";
import { checkAlarmText, MAX_ALARM_TEXT } from "../edge/alarm-spec.js";
import { SENSOR_TYPES, sensorType } from "../io/sensor-registry.js";
import type { SensorType } from "../io/sensor-type.js";
import type { KeySpec } from "./key-spec.js";
import type { RawConfig, Value } from "./schema.js";

/** SenML units (RFC 8428 section 12.1 and the IANA registry) the firmware reports. */
export const SENML_UNITS = ["Cel", "%RH", "Pa", "A", "V", "W", "Hz", "m/s2", "/s", "%", "m", "kg", "l/s", "m3", "count", "/", "s", "m3/s"] as const;

/** Every quantity name of every type, each once, in registry order. */
const MEASURES: readonly string[] = Object.freeze([...new Set(Object.values(SENSOR_TYPES).flatMap((t) => Object.keys(t.quantities)))]);

/** Fields of every channel, whatever its type. */
export const COMMON_CHANNEL_FIELDS: Readonly<Record<string, KeySpec>> = Object.freeze({
  type: { type: "enum", values: Object.freeze(Object.keys(SENSOR_TYPES)), help: "sensor type; setting it creates the channel", restart: true },
  measure: { type: "enum", values: MEASURES, help: "which of the sensor's quantities", restart: true },
  interval: { type: "int", default: 1000, min: 100, max: 86_400_000, unit: "ms", help: "sampling interval", restart: true, remote: true },
  unit: { type: "enum", values: SENML_UNITS, help: "SenML unit of the reported value", restart: true },
  scale: { type: "decimal", min: -1e9, max: 1e9, help: "multiplies the value (calibration, unit change); not set: 1", restart: true, remote: true },
  offset: { type: "decimal", min: -1e9, max: 1e9, help: "added after scale (calibration); not set: 0", restart: true, remote: true },
  filter: { type: "string", maxBytes: MAX_CHAIN_TEXT, check: checkChainText, help: "edge filter chain, e.g. median(5) | compress(0.05) (docs/edge.md); not set: every reading is sent", restart: true, remote: true },
  alarm: { type: "string", maxBytes: MAX_ALARM_TEXT, check: checkAlarmText, help: "alarms, e.g. high 80 hyst 2 delay 5; low 10; bad (types hh high low ll rate bad; options hyst, delay s, off s); not set: none", restart: true, remote: true },
});

/** Union of two specs of one field name declared by two types. */
function merge(a: KeySpec, b: KeySpec): KeySpec {
  if (a.type !== b.type) throw new TypeError(`channel field declared as ${a.type} and as ${b.type}: one name, one type`);
  const spec: { -readonly [K in keyof KeySpec]: KeySpec[K] } = { ...a };
  delete spec.default;
  if (a.min !== undefined && b.min !== undefined) spec.min = Math.min(a.min, b.min);
  if (a.max !== undefined && b.max !== undefined) spec.max = Math.max(a.max, b.max);
  if (a.values && b.values) spec.values = Object.freeze([...new Set([...a.values, ...b.values])]);
  spec.restart = Boolean(a.restart || b.restart);
  spec.help = a.help === b.help ? a.help : `${a.help.split(":")[0]} (bounds depend on the type)`;
  return Object.freeze(spec);
}

/** A type's field as the union table holds it: its default is the type's, applied by `fillChannel`. */
function withoutDefault(spec: KeySpec): KeySpec {
  const copy = { ...spec };
  delete (copy as { default?: unknown }).default;
  return Object.freeze(copy);
}

/** All channel fields the schema accepts: the common ones and the union of every type's own. */
export const CHANNEL_FIELDS: Readonly<Record<string, KeySpec>> = (() => {
  const fields: Record<string, KeySpec> = { ...COMMON_CHANNEL_FIELDS };
  for (const type of Object.values(SENSOR_TYPES))
    for (const [field, spec] of Object.entries(type.fields)) {
      if (Object.prototype.hasOwnProperty.call(COMMON_CHANNEL_FIELDS, field)) throw new TypeError(`sensor type ${type.name} redeclares the common field "${field}"`);
      fields[field] = fields[field] ? merge(fields[field], spec) : withoutDefault(spec);
    }
  return Object.freeze(fields);
})();

/** The spec of `field` for a channel of type `typeName` (common or the type's own); undefined when that type has no such field. */
export function channelFieldSpec(typeName: string, field: string): KeySpec | undefined {
  const type = sensorType(typeName);
  if (field === "measure" && type) return measureSpec(type);
  if (Object.prototype.hasOwnProperty.call(COMMON_CHANNEL_FIELDS, field)) return COMMON_CHANNEL_FIELDS[field];
  return type && Object.prototype.hasOwnProperty.call(type.fields, field) ? type.fields[field] : undefined;
}

/** Made at run time: a Map made while preloading is in flash and read-only on the board. */
let measureSpecs: Map<SensorType, KeySpec> | undefined;

/** `measure` of one type: an enum of its own quantities. */
function measureSpec(type: SensorType): KeySpec {
  measureSpecs ??= new Map();
  let spec = measureSpecs.get(type);
  if (!spec) {
    spec = Object.freeze({ ...COMMON_CHANNEL_FIELDS.measure, values: Object.freeze(Object.keys(type.quantities)) });
    measureSpecs.set(type, spec);
  }
  return spec;
}

/** The field names a channel of `typeName` has, for messages. */
export function channelFieldNames(typeName: string): string[] {
  return [...Object.keys(COMMON_CHANNEL_FIELDS), ...Object.keys(sensorType(typeName)?.fields ?? {})];
}

/**
 * Gives channel `name` the defaults its type has and `raw` lacks: the type's
 * field defaults, its first quantity as `measure`, that quantity's unit, its
 * interval. Existing values are kept.
 */
export function fillChannel(raw: RawConfig, name: string): void {
  const prefix = `ch.${name}.`;
  const type = sensorType(String(raw.get(`${prefix}type`)));
  if (!type) return;
  for (const [field, spec] of Object.entries(type.fields)) if (spec.default !== undefined && !raw.has(prefix + field)) raw.set(prefix + field, spec.default);
  if (!raw.has(`${prefix}measure`)) raw.set(`${prefix}measure`, Object.keys(type.quantities)[0]);
  const unit = type.quantities[String(raw.get(`${prefix}measure`))]?.unit ?? "count";
  // "": the quantity has no unit of its own (a probe's replayed column); the channel stays without one unless set.
  if (!raw.has(`${prefix}unit`) && unit !== "") raw.set(`${prefix}unit`, unit);
  if (type.interval !== undefined && !raw.has(`${prefix}interval`)) raw.set(`${prefix}interval`, type.interval);
}

/**
 * After `ch.<name>.measure` changed from `previous`: a unit that was the
 * previous quantity's default follows to the new quantity's, so that
 * `set ch.run.measure transitions` does not leave the state's unit behind.
 * A unit the technician chose is kept (and checked at save).
 */
export function followMeasure(raw: RawConfig, name: string, previous: Value | undefined): void {
  const prefix = `ch.${name}.`;
  const type = sensorType(String(raw.get(`${prefix}type`)));
  if (!type || previous === undefined) return;
  const before = type.quantities[String(previous)];
  const after = type.quantities[String(raw.get(`${prefix}measure`))];
  if (before && after && raw.get(`${prefix}unit`) === before.unit) raw.set(`${prefix}unit`, after.unit);
}

/** Removes what belongs to channel `name`'s old type before it is retyped: measure, unit and the type's own fields. */
export function clearTypeFields(raw: RawConfig, name: string): void {
  const prefix = `ch.${name}.`;
  for (const key of [...raw.keys()]) {
    if (!key.startsWith(prefix)) continue;
    const field = key.slice(prefix.length);
    if (field === "measure" || field === "unit" || !Object.prototype.hasOwnProperty.call(COMMON_CHANNEL_FIELDS, field)) raw.delete(key);
  }
}
