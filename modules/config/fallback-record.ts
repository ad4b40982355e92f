/**
 * The persisted state of the broker fallback (broker-fallback.ts): after a
 * remote change of broker or credential keys, the settings the node last
 * connected with, kept until the new ones reach a CONNACK.
 *
 * Stored as its own A/B record (ConfigStore with prefix `cfr`: keys
 * `cfr.a.0`, `cfr.b.0`), so it survives power loss like the config and is
 * never overwritten by a config save. Payload: the previous value of every
 * `admin` key, plus `_state` ("trial" or "reverted"), `_boots` (boots on the
 * new settings so far), `_keys` (the changed keys, comma-separated) and
 * `_why` (why it reverted). It holds secrets: never printed or published.
 */
import type { Storage } from "../platform.js";
import { KEYS, type RawConfig, type Value } from "./schema.js";
import { ConfigStore } from "./store.js";
import { checkValue } from "./validate.js";

/** Keys flagged `admin` in the schema (broker, credentials, TLS, Wi-Fi), in schema order. */
export const ADMIN_KEYS: readonly string[] = Object.freeze(Object.entries(KEYS).filter(([, spec]) => spec.admin).map(([key]) => key));

/** A fallback in progress: `trial` until the new settings connect, `reverted` until the revert is reported. */
export interface Fallback {
  state: "trial" | "reverted";
  /** Boots that started on the new settings (trial). */
  boots: number;
  /** The admin keys the remote change touched. */
  keys: string[];
  /** Every admin key's value as the node last connected with it. */
  previous: RawConfig;
  /** Why it reverted (reverted). */
  why?: string;
}

/** The fallback record over the platform flash; reads it once at construction. */
export class FallbackRecord {
  #store: ConfigStore;
  #value: Fallback | undefined;

  /** Reads the record; an unreadable or inconsistent one counts as none (never throws for bad flash content). */
  constructor(storage: Storage) {
    this.#store = new ConfigStore(storage, "cfr");
    this.#value = parse(this.#store.load().values);
  }

  /** The fallback in progress, or undefined. */
  get value(): Fallback | undefined {
    return this.#value;
  }

  /** Persists `value` (power-safe); throws what the flash throws, leaving the old record current. */
  write(value: Fallback): void {
    const raw: RawConfig = new Map<string, Value>(value.previous);
    raw.set("_state", value.state);
    raw.set("_boots", value.boots);
    raw.set("_keys", value.keys.join(","));
    if (value.why !== undefined) raw.set("_why", value.why);
    this.#store.save(raw);
    this.#value = { ...value, keys: [...value.keys], previous: new Map(value.previous) };
  }

  /** Forgets the fallback. */
  erase(): void {
    this.#store.erase();
    this.#value = undefined;
  }
}

function parse(values: Record<string, unknown>): Fallback | undefined {
  const { _state: state, _boots: boots, _keys: keys, _why: why } = values;
  if (state !== "trial" && state !== "reverted") return undefined;
  if (typeof boots !== "number" || !Number.isInteger(boots) || boots < 0 || typeof keys !== "string") return undefined;
  const previous: RawConfig = new Map();
  try {
    for (const key of ADMIN_KEYS) previous.set(key, checkValue(key, values[key]));
  } catch {
    return undefined;
  }
  const changed = keys.split(",").filter((k) => ADMIN_KEYS.includes(k));
  return { state, boots, keys: changed, previous, ...(typeof why === "string" ? { why } : {}) };
}
