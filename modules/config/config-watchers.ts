import type { Value } from "./schema.js";

/** Called with the key that changed and its new value (undefined: the key was removed). */
export type ConfigListener = (key: string, value: Value | undefined) => void;

/** Most listeners (bounded: the node registers a handful at boot). */
export const WATCHERS_MAX = 32;

/**
 * Subscribe-by-key for live config keys (ConfigService.watch). A listener
 * is registered for one key (`log.level`) or one group field with `*` for
 * the instance name (`act.*.min_on_s`). `notify` calls, in registration
 * order, every listener whose key matches; a listener that throws is counted
 * (`failures`) and the others still run. Throws RangeError beyond
 * WATCHERS_MAX listeners.
 */
export class ConfigWatchers {
  #listeners: { key: string; listener: ConfigListener }[] = [];
  /** Listeners that threw. */
  failures = 0;

  /** Registers `listener` for `key`; returns a function that removes it. */
  add(key: string, listener: ConfigListener): () => void {
    if (this.#listeners.length >= WATCHERS_MAX) throw new RangeError(`at most ${WATCHERS_MAX} config listeners, adding one for ${key}`);
    const entry = { key, listener };
    this.#listeners.push(entry);
    return () => {
      this.#listeners = this.#listeners.filter((e) => e !== entry);
    };
  }

  /** Whether some listener watches `key`. */
  watched(key: string): boolean {
    return this.#listeners.some((e) => matches(e.key, key));
  }

  /** Tells the listeners of `key` its new value. Never throws. */
  notify(key: string, value: Value | undefined): void {
    for (const { key: pattern, listener } of this.#listeners) {
      if (!matches(pattern, key)) continue;
      try {
        listener(key, value);
      } catch {
        this.failures++;
      }
    }
  }
}

/** `act.*.min_on_s` matches `act.pump.min_on_s`; other patterns match themselves. */
function matches(pattern: string, key: string): boolean {
  if (pattern === key) return true;
  const star = pattern.indexOf(".*.");
  if (star < 0) return false;
  const head = pattern.slice(0, star + 1);
  const tail = pattern.slice(star + 2);
  return key.startsWith(head) && key.endsWith(tail) && key.length > head.length + tail.length && !key.slice(head.length, key.length - tail.length).includes(".");
}
