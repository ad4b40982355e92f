/**
 * The whole-config rules of sensor channels, checked at `save` (and on load
 * and import): each channel's quantity belongs to its type, its interval fits the
 * telemetry, and its type's own cross-field rules (SensorType.check: a
 * computed channel's expression, an analog range, ...) hold.
 */
import { sensorType } from "../io/sensor-registry.js";
import type { ChannelView } from "../io/sensor-type.js";
import type { RawConfig } from "./schema.js";

/** Pushes one message per broken rule onto `problems` (a pin used twice is pin-uses.ts's rule). */
export function checkChannels(raw: RawConfig, channels: readonly string[], maxIntervalS: number, problems: string[]): void {
  for (const name of channels) {
    const get = (field: string) => raw.get(`ch.${name}.${field}`);
    const typeName = String(get("type"));
    const type = sensorType(typeName);
    if (!type) {
      problems.push(`ch.${name}.type ${JSON.stringify(typeName)} is not a sensor type`);
      continue;
    }
    // A measure that is set was checked against the type's quantities with the other values.
    const measure = get("measure");
    if (measure === undefined) problems.push(`ch.${name}.measure must be set: one of ${Object.keys(type.quantities).join(", ")}`);
    const quantity = typeof measure === "string" && Object.prototype.hasOwnProperty.call(type.quantities, measure) ? type.quantities[measure] : undefined;
    const unit = get("unit");
    // Another unit than the quantity's only with an explicit conversion (ch.<name>.scale).
    if (!type.computed && quantity && !quantity.anyUnit && unit !== undefined && unit !== quantity.unit && get("scale") === undefined)
      problems.push(`ch.${name}.unit ${JSON.stringify(unit)} is not the unit of ${measure} (${quantity.unit}): set ch.${name}.unit ${quantity.unit}, or ch.${name}.scale to convert`);
    // A quantity without a unit of its own (the simulator's probe) may stay without one.
    if (!raw.has(`ch.${name}.unit`) && quantity?.unit !== "") problems.push(`ch.${name}.unit must be set`);
    for (const field of type.chip) if (get(field) === undefined) problems.push(`ch.${name}.${field} must be set for ${typeName}`);
    const interval = Number(get("interval"));
    if (!type.computed && interval > maxIntervalS * 1000) problems.push(`ch.${name}.interval ${interval} ms is longer than telemetry.max_interval ${maxIntervalS} s`);
    if (type.check) {
      const view: ChannelView = { name, get, channels, other: (other, field) => raw.get(`ch.${other}.${field}`) };
      try {
        type.check(view, problems);
      } catch (error) {
        problems.push(`ch.${name}: ${typeName} check failed: ${(error as Error).message}`);
      }
    }
  }
}
