/**
 * Export/import codec: a whole config as one pasteable console line,
 *
 *   import v2 node.site="Hall 3" mqtt.url=mqtt://10.0.0.5:1883 -ch.rh act.pump.type=relay …
 *
 * It lists what differs from the factory defaults: `key=value` for a set or
 * changed key, `-key` for a default key that was removed, `-ch.<name>` for a
 * default group instance that was removed. Values with spaces or quotes are
 * double-quoted (the console tokenizer reads them back). Secret keys are left
 * out unless `withSecrets`. Importing starts from the factory defaults, so the
 * line alone reproduces the config (secrets are kept from the target).
 */
import { factoryDefaults, fillInstance, GROUP_NAME, groupNames, KEYS, lookupKey, SCHEMA_VERSION, type RawConfig, type Value } from "./schema.js";
import { migrateWords, OLDEST_SCHEMA_VERSION } from "./migrate.js";
import { checkValue, parseText, requireKey } from "./validate.js";

/** The export line's words after `import` (the caller prefixes the command). */
export function encodeConfig(raw: RawConfig, withSecrets: boolean): string {
  const defaults = factoryDefaults();
  const words = [`v${SCHEMA_VERSION}`];
  for (const group of ["ch", "act", "mb"] as const)
    for (const name of groupNames(defaults, group)) if (!raw.has(`${group}.${name}.type`)) words.push(`-${group}.${name}`);
  const keys = new Set([...raw.keys(), ...defaults.keys()]);
  for (const key of [...keys].sort()) {
    const ref = lookupKey(key);
    if (!ref || (ref.spec.secret && !withSecrets)) continue;
    if (ref.kind === "group" && !raw.has(`${ref.group}.${ref.name}.type`)) continue;
    const value = raw.get(key);
    // A new instance's fields are compared with the field defaults that import fills in.
    const base = ref.kind === "group" && !defaults.has(`${ref.group}.${ref.name}.type`) ? ref.spec.default : defaults.get(key);
    if (value === base) continue;
    if (value === undefined) words.push(`-${key}`);
    else words.push(`${key}=${quote(value)}`);
  }
  return words.join(" ");
}

/**
 * Decodes the words of an import line into a new raw config, based on the
 * factory defaults and keeping `current`'s secrets unless the line sets them.
 * A line of an older schema version (down to OLDEST_SCHEMA_VERSION) is
 * migrated first, with a note in `notes`. Throws TypeError/RangeError
 * (naming the word) for any bad word; then nothing is applied.
 */
export function decodeConfig(words: string[], current: RawConfig, notes: string[] = []): RawConfig {
  if (words.length === 0) throw new TypeError("import needs the line that export printed");
  const version = /^v([0-9]{1,3})$/.exec(words[0]);
  if (!version) throw new TypeError(`import: first word must be the schema version (v${SCHEMA_VERSION}), got ${JSON.stringify(words[0].slice(0, 20))}`);
  const from = Number(version[1]);
  if (from > SCHEMA_VERSION) throw new RangeError(`import: line is schema v${from}, this firmware reads v${SCHEMA_VERSION}`);
  if (from < OLDEST_SCHEMA_VERSION) throw new RangeError(`import: line is schema v${from}, older than the oldest this firmware reads (v${OLDEST_SCHEMA_VERSION})`);
  // An older line is migrated word by word as a stored record of its version would be.
  const body = from < SCHEMA_VERSION ? migrateWords(words.slice(1), from, notes) : words.slice(1);
  const raw = factoryDefaults();
  for (const [key, spec] of Object.entries(KEYS)) if (spec.secret && current.has(key)) raw.set(key, current.get(key)!);
  for (const word of body) {
    if (word.startsWith("-")) {
      const target = word.slice(1);
      const group = /^(ch|act|mb)\.([^.]+)$/.exec(target);
      if (group) {
        if (!GROUP_NAME.test(group[2])) throw new RangeError(`import: bad name in ${JSON.stringify(word)}`);
        for (const key of [...raw.keys()]) if (key.startsWith(`${target}.`)) raw.delete(key);
      } else {
        requireKey(target);
        raw.delete(target);
      }
      continue;
    }
    const eq = word.indexOf("=");
    if (eq <= 0) throw new TypeError(`import: expected key=value, got ${JSON.stringify(word.slice(0, 40))}`);
    const key = word.slice(0, eq);
    const ref = requireKey(key);
    raw.set(key, ref.spec.type === "string" ? checkValue(key, word.slice(eq + 1)) : parseText(key, word.slice(eq + 1)));
    if (ref.kind === "group" && ref.field === "type") fillInstance(raw, ref.group, ref.name);
  }
  return raw;
}

function quote(value: Value): string {
  const text = String(value);
  if (text !== "" && /^[^\s"'\\]+$/.test(text)) return text;
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}
