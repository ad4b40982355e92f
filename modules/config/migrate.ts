/**
 * Migration of stored config records from older schema versions. Each step
 * turns the flat key/value object of version n into that of version n+1;
 * `migrate` chains them. Steps never throw: a value they cannot carry over is
 * dropped (its key falls back to the default) and noted.
 */
import { SCHEMA_VERSION } from "./schema.js";

type Flat = Record<string, unknown>;

/** Step n → n+1, indexed by n. */
const STEPS: Record<number, (values: Flat, notes: string[]) => Flat> = {
  /**
   * Version 1 (firmware 0.1) stored `telemetry.max_age_ms` in milliseconds,
   * `mqtt.tls_fp`, and `ch.<name>.interval_ms`; version 2 has
   * `telemetry.max_interval` in seconds, `mqtt.tls_fingerprint` and `ch.<name>.interval`.
   */
  1(values, notes) {
    const out: Flat = {};
    for (const [key, value] of Object.entries(values)) {
      if (key === "telemetry.max_age_ms") {
        if (typeof value === "number" && Number.isFinite(value)) out["telemetry.max_interval"] = Math.max(1, Math.ceil(value / 1000));
        else notes.push(`migrate v1: dropped telemetry.max_age_ms ${String(value)}`);
      } else if (key === "mqtt.tls_fp") out["mqtt.tls_fingerprint"] = typeof value === "string" ? value.toLowerCase() : value;
      else if (/^ch\.[^.]+\.interval_ms$/.test(key)) out[key.replace(/_ms$/, "")] = value;
      else out[key] = value;
    }
    return out;
  },
};

/** Oldest record version this firmware can still read. */
export const OLDEST_SCHEMA_VERSION = 1;

/**
 * Brings `values` from schema `from` to SCHEMA_VERSION. Throws RangeError for
 * a version this firmware cannot read (older than supported, or newer: a
 * record written by a later firmware after a downgrade).
 */
export function migrate(values: Flat, from: number, notes: string[]): Flat {
  if (from > SCHEMA_VERSION) throw new RangeError(`record schema version ${from} is newer than this firmware's ${SCHEMA_VERSION}`);
  if (from < OLDEST_SCHEMA_VERSION) throw new RangeError(`record schema version ${from} is older than the oldest supported ${OLDEST_SCHEMA_VERSION}`);
  let current = values;
  for (let v = from; v < SCHEMA_VERSION; v++) current = STEPS[v](current, notes);
  if (from < SCHEMA_VERSION) notes.push(`migrated config from schema v${from} to v${SCHEMA_VERSION}`);
  return current;
}

/**
 * Brings the words of an export line of schema `from` (after `v<from>`) to
 * SCHEMA_VERSION through the same steps as stored records: `key=value`
 * words are migrated with the value read as a number when it is all digits
 * (as a record stored it), else as text; `-key` words follow a renamed key;
 * `-ch.<name>` / `-act.<name>` words are kept. A value a step cannot carry
 * over is dropped and noted, like a stored one. Throws RangeError like
 * `migrate` for a version it cannot read.
 */
export function migrateWords(words: readonly string[], from: number, notes: string[]): string[] {
  const out: string[] = [];
  for (const word of words) {
    const removal = word.startsWith("-");
    const eq = word.indexOf("=");
    if (removal || eq <= 0) {
      const key = removal ? word.slice(1) : word;
      // A removal carries no value: migrate the key alone (a stand-in value of 1 survives every unit conversion).
      const renamed = Object.keys(migrate({ [key]: 1 }, from, []));
      out.push(removal ? `-${renamed[0] ?? key}` : word);
      continue;
    }
    const text = word.slice(eq + 1);
    const value = /^[0-9]{1,15}$/.test(text) ? Number(text) : text;
    for (const [key, migrated] of Object.entries(migrate({ [word.slice(0, eq)]: value }, from, notes))) out.push(`${key}=${String(migrated)}`);
  }
  return out;
}
