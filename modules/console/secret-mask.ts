import { KEYS } from "../config/schema.js";
import { pattern } from "../util/pattern.js";

/** `set <key> ` at the start of a line; the value follows. */
const SET_KEY = pattern(String.raw`^\s*set\s+(\S+)\s`, "i");
/** `import ...`: key=value words follow. */
const IMPORT = pattern(String.raw`^\s*import\s`, "i");

/**
 * Whether the terminal must show `*` from here on, given the line typed so
 * far: after `set <secret key> `, and in an `import` line from the first
 * secret key's `=` to the end of the line (its value may be quoted and hold
 * spaces, so the mask is not lifted at the next space). The console also
 * keeps such lines out of its history.
 */
export function masksSecret(typed: string): boolean {
  const set = SET_KEY.exec(typed);
  if (set) return KEYS[set[1]]?.secret === true;
  if (!IMPORT.test(typed)) return false;
  for (const word of typed.split(/\s+/)) {
    const eq = word.indexOf("=");
    if (eq > 0 && KEYS[word.slice(0, eq)]?.secret === true && word.length > eq) return true;
  }
  return false;
}
