/**
 * The config service: the running node's one owner of its configuration.
 *
 * Three layers: `saved` (the last good record in flash), `pending` (the
 * technician's staged edits: `set`/`unset` change it, `save` validates it
 * whole and persists it, `discard` drops it) and `running` (what this boot
 * started with, including command-line overrides: a key whose saved value
 * differs from it needs a restart). Every method validates first and changes
 * nothing when it throws.
 */
import { errorCode, isErrorCode, type ErrorCode } from "../errors.js";
import type { Counters } from "../counters.js";
import type { Clock, Storage, Timers } from "../platform.js";
import { ConfigWatchers, type ConfigListener } from "./config-watchers.js";
import { SAVE_WINDOW_MS, SaveLimiter } from "./save-limiter.js";
import { decodeConfig, encodeConfig } from "./codec.js";
import type { NodeConfig } from "./node-config.js";
import { resolveConfig } from "./resolve.js";
import { ADMIN_KEYS, FallbackRecord } from "./fallback-record.js";
import { factoryDefaults, fillInstance, GROUP_NAME, GROUPS, KEYS, lookupKey, REMOTE_ADMIN, type GroupId, type KeySpec, type RawConfig, type Value } from "./schema.js";
import { ConfigStore, type LoadResult } from "./store.js";
import { clearTypeFields, followMeasure } from "./channel-fields.js";
import { checkConfig, checkValue, ConfigRuleError, parseText, requireKey, showValue, UnknownKeyError } from "./validate.js";

/**
 * One refused key of `applyRemote`, with its code of the one vocabulary
 * (modules/errors.ts): `forbidden` for a key that is never remotely settable,
 * `not-allowed` for a broker/credential key while `mqtt.remote_admin` is off,
 * `storage` when the flash refused the save, else the validation's code
 * (`bad-value`, `bad-type`, `unknown-key`, `rule`).
 */
export interface RemoteError {
  key: string;
  message: string;
  code?: ErrorCode;
}

/** Outcome of `applyRemote`: all changes applied and saved, or none. */
export type RemoteResult =
  | { ok: true; generation: number; applied: string[]; restartNeeded: string[] }
  | { ok: false; errors: RemoteError[] };

/** One key as `get` reports it. Secrets carry no value, only whether they are set. */
export interface KeyView {
  key: string;
  spec: KeySpec;
  value: Value | undefined;
  /** Printable: the value with its unit, "(set)"/"(not set)" for a secret. */
  text: string;
  unsaved: boolean;
  restart: boolean;
  override?: Value;
}

export class ConfigService {
  #store: ConfigStore;
  #hardwareId: string;
  // On the ESP32 each Map entry costs XS slots (~2-3, 11 keys a channel): the three layers
  // share one Map until they differ. `#saved` is never changed in place (a new Map replaces
  // it); `#pending` and `#running` may be the very same Map as `#saved` or as each other, so
  // they are changed in place only through #editPending/#editRunning, which copy a shared one first.
  #saved: RawConfig;
  #pending: RawConfig;
  #running: RawConfig;
  #overrides = new Map<string, Value>();
  /** The broker fallback's record: armed by a remote change of `admin` keys (broker-fallback.ts). */
  readonly fallback: FallbackRecord;
  /** What load found: source, generation, problems (not the record's values: they live on in the saved config, not twice in the ESP32's slot heap). */
  readonly loaded: Omit<LoadResult, "values">;
  /** Called after a save or remote apply with the keys that changed (the live ones are told their value through `watch` first). */
  onSaved: ((changed: string[]) => void) | undefined;
  #watchers = new ConfigWatchers();
  #limiter: SaveLimiter | undefined;
  #counters: Counters | undefined;
  /** The saved config (in RAM) is newer than the record on flash: a rate-limited write is due. */
  #behind = false;

  /** Loads the newest good record from `storage` (defaults when there is none). Never throws for bad flash content. */
  constructor(storage: Storage, hardwareId: string) {
    this.#store = new ConfigStore(storage);
    this.#hardwareId = hardwareId;
    const { values, ...loaded } = this.#store.load();
    this.loaded = loaded;
    this.fallback = new FallbackRecord(storage);
    const raw = factoryDefaults();
    if (this.loaded.source === "record") {
      const candidate = new Map<string, Value>();
      for (const [key, spec] of Object.entries(KEYS)) if (spec.default !== undefined) candidate.set(key, spec.default);
      for (const [key, value] of Object.entries(values)) {
        try {
          candidate.set(key, checkValue(key, value));
        } catch (error) {
          this.loaded.notes.push(`stored ${key}: ${(error as Error).message}; using the default`);
        }
      }
      try {
        checkConfig(candidate);
        raw.clear();
        for (const [k, v] of candidate) raw.set(k, v);
      } catch (error) {
        this.loaded.notes.push(`stored config breaks a rule (${(error as Error).message}); using defaults`);
      }
    }
    this.#saved = raw;
    this.#pending = raw;
    this.#running = raw;
  }

  /**
   * Build-time settings (e.g. `mcconfig ... mqtt.url=...`) that take the place
   * of the factory defaults while the flash holds no config record: they
   * become the saved-looking baseline that a technician's `save` then keeps
   * or changes. Ignored once a record exists. Values that create channels
   * (`ch.<name>.type`) or actuators replace the factory ones (a machine
   * profile's board). Throws like `set` for a bad one.
   */
  seedDefaults(values: Record<string, string>): void {
    if (this.loaded.source === "record") return;
    const candidate = new Map(this.#saved);
    replaceGroups(candidate, Object.keys(values));
    for (const [key, text] of Object.entries(values)) candidate.set(key, parseText(key, text));
    checkConfig(candidate);
    this.#saved = candidate;
    this.#pending = candidate;
    this.#running = candidate;
  }

  /**
   * Applies boot-time overrides (e.g. the simulator's --id and --broker) to the
   * running config only; they are never saved. Overrides that create
   * channels (`ch.<name>.type`) or actuators replace the saved ones for this
   * boot (the simulator's --replay). Throws like `set` for a bad one.
   */
  setOverrides(overrides: Record<string, string>): void {
    const parsed = new Map<string, Value>();
    for (const [key, text] of Object.entries(overrides)) parsed.set(key, parseText(key, text));
    const candidate = new Map(this.#saved);
    replaceGroups(candidate, Object.keys(overrides));
    for (const [k, v] of parsed) candidate.set(k, v);
    createOverriddenInstances(candidate, parsed);
    checkConfig(candidate);
    this.#overrides = parsed;
    this.#running = candidate;
  }

  /** The NodeConfig this boot runs with (saved config plus overrides). */
  resolved(): NodeConfig {
    return resolveConfig(this.#running, this.#hardwareId);
  }

  /** Generation of the saved record, undefined before the first save. */
  get generation(): number | undefined {
    return this.#store.generation;
  }

  /** Keys whose pending value differs from the saved one. */
  unsavedKeys(): string[] {
    return diff(this.#pending, this.#saved);
  }

  /** The pending value of `key` (throws UnknownKeyError). */
  get(key: string): KeyView {
    const ref = requireKey(key, this.#pending);
    // An instance that only this boot's overrides create is shown with them (`[override: ...]`).
    if (ref.kind === "group" && !this.#pending.has(`${ref.group}.${ref.name}.type`) && !this.#overrides.has(key)) throw noInstance(ref.group, ref.name);
    return this.#view(key, ref.spec);
  }

  /** Keys (pending) under `prefix` ("" for all), sorted, as views. */
  list(prefix = ""): KeyView[] {
    const keys = new Set([...Object.keys(KEYS), ...this.#pending.keys(), ...this.#overrides.keys()]);
    const out: KeyView[] = [];
    for (const key of [...keys].sort()) {
      if (prefix && key !== prefix && !key.startsWith(prefix.endsWith(".") ? prefix : `${prefix}.`) && !key.startsWith(prefix)) continue;
      const ref = lookupKey(key);
      if (ref) out.push(this.#view(key, ref.spec));
    }
    return out;
  }

  /** Stages `key = text` in the pending config. Setting `<group>.<name>.type` creates the instance. */
  set(key: string, text: string): void {
    const ref = requireKey(key, this.#pending);
    const value = parseText(key, text, this.#pending);
    if (ref.kind === "group") {
      const exists = this.#pending.has(`${ref.group}.${ref.name}.type`);
      if (!exists && ref.field !== "type") throw noInstance(ref.group, ref.name);
      const next = new Map(this.#pending);
      if (ref.field === "type" && next.get(key) !== value && ref.group === "ch") clearTypeFields(next, ref.name);
      const previous = next.get(key);
      next.set(key, value);
      if (ref.field === "type") fillInstance(next, ref.group, ref.name);
      if (ref.field === "measure" && ref.group === "ch") followMeasure(next, ref.name, previous);
      const refused = this.setRule?.(key, next);
      if (refused !== undefined) throw new ConfigRuleError(refused);
      this.#pending = next;
      return;
    }
    this.#editPending().set(key, value);
  }

  /**
   * Unstages `key`: a global key returns to its default, an optional group
   * field is removed, `<group>.<name>` (or its `.type`) removes the instance.
   */
  unset(key: string): void {
    const instance = /^(ch|act|mb|rule)\.([^.]+)$/.exec(key);
    if (instance) {
      const group = instance[1] as GroupId;
      if (!GROUP_NAME.test(instance[2]) || !this.#pending.has(`${key}.type`)) throw noInstance(group, instance[2]);
      const pending = this.#editPending();
      for (const k of [...pending.keys()]) if (k.startsWith(`${key}.`)) pending.delete(k);
      return;
    }
    const ref = requireKey(key, this.#pending);
    if (ref.kind === "global") {
      if (ref.spec.default === undefined) this.#editPending().delete(key);
      else this.#editPending().set(key, ref.spec.default);
      return;
    }
    if (!this.#pending.has(`${ref.group}.${ref.name}.type`)) throw noInstance(ref.group, ref.name);
    if (ref.field === "type") return this.unset(`${ref.group}.${ref.name}`);
    if (ref.spec.default !== undefined) this.#editPending().set(key, ref.spec.default);
    else this.#editPending().delete(key);
  }

  /**
   * The rule `set` checks on the one group key it stages (the board's pin
   * map for a pin key): given the key and the pending config with the new
   * value, the refusal (thrown as ConfigRuleError, nothing staged) or undefined.
   */
  setRule: ((key: string, raw: RawConfig) => string | undefined) | undefined;

  /** Rules only `save` adds to the whole-config check (the board's pin map); each pushes its problems. */
  saveRules: ((raw: RawConfig, problems: string[]) => void) | undefined;

  /** Validates the whole pending config and persists it atomically. Returns the new generation. */
  save(): number {
    checkConfig(this.#pending, this.saveRules);
    const changed = diff(this.#pending, this.#saved);
    const generation = this.#writeRecord(this.#pending);
    this.#limiter?.cancel();
    this.#saved = this.#pending;
    // The technician set the broker by hand: that is the setting to keep, not one to fall back from.
    if (this.fallback.value && changed.some((k) => ADMIN_KEYS.includes(k))) this.fallback.erase();
    this.#changed(changed);
    return generation;
  }

  /**
   * Registers `listener` for a live key (`log.level`) or group field
   * (`act.*.min_on_s`): after every save, remote apply or revert that changes
   * the key, it is called with the key and its new value (undefined when
   * removed). Restart keys are never notified (their new value waits for the
   * next boot), nor keys a boot-time override pins. Returns the unsubscribe
   * function. Throws RangeError beyond WATCHERS_MAX listeners.
   */
  watch(key: string, listener: ConfigListener): () => void {
    return this.#watchers.add(key, listener);
  }

  /** Listeners that threw (each counted once per change). */
  get watchFailures(): number {
    return this.#watchers.failures;
  }

  /**
   * Rate-limits the flash writes of remote `set` (issue 7 item 5): at most
   * one per `windowMs` (default SAVE_WINDOW_MS, 10 s). A change always takes
   * effect and is answered at once; when a write happened less than a window
   * ago it is kept in RAM and written, with every other change of the
   * window, at the window's end (counted in `config_saves_coalesced`). A
   * failed deferred write is counted (`config_save_errors`), reported to
   * `onError`, and tried again a window later. Broker-key changes, console
   * `save` and `flush()` write at once.
   */
  limitRemoteSaves(timers: Timers, clock: Clock, counters: Counters, onError: (error: Error) => void, windowMs = SAVE_WINDOW_MS): void {
    this.#counters = counters;
    const limiter = new SaveLimiter(timers, clock, () => {
      try {
        this.flush();
      } catch (error) {
        counters.add("config_save_errors");
        onError(error as Error);
        limiter.request();
      }
    }, windowMs);
    this.#limiter = limiter;
  }

  /** True while remote changes wait in RAM for their rate-limited write. */
  get unflushed(): boolean {
    return this.#behind;
  }

  /**
   * Writes the remote changes that wait for the rate limit, now (before a
   * restart or stop). Returns the generation written, or undefined when
   * nothing waited. Throws a `storage` CodedError when the flash refuses it
   * (they keep waiting).
   */
  flush(): number | undefined {
    if (!this.#behind) return undefined;
    this.#limiter?.cancel();
    const generation = this.#writeRecord(this.#saved);
    return generation;
  }

  /** Writes `candidate` as the next record; nothing is behind after it. */
  #writeRecord(candidate: RawConfig): number {
    const generation = this.#store.save(candidate);
    this.#behind = false;
    this.#counters?.add("config_saves");
    return generation;
  }

  /** After `#saved` changed: live keys take their new value (running config, watchers), then `onSaved`. */
  #changed(changed: string[]): void {
    if (changed.length === 0) return;
    for (const key of changed) {
      const spec = lookupKey(key)?.spec;
      if (!spec || spec.restart || this.#overrides.has(key)) continue;
      const value = this.#saved.get(key);
      if (value === undefined) this.#editRunning().delete(key);
      else this.#editRunning().set(key, value);
      this.#watchers.notify(key, value);
    }
    this.onSaved?.(changed);
  }

  /** Drops the staged edits; returns how many keys were unsaved. */
  discard(): number {
    const count = this.unsavedKeys().length;
    this.#pending = this.#saved;
    return count;
  }

  /** The export line's words (see codec.ts); secrets only with `withSecrets`. */
  exportLine(withSecrets: boolean): string {
    return encodeConfig(this.#pending, withSecrets);
  }

  /** Stages a whole config from an export line (an older schema's is migrated); validates it whole first. Returns the migration notes. */
  importWords(words: string[]): string[] {
    const notes: string[] = [];
    const raw = decodeConfig(words, this.#pending, notes);
    checkConfig(raw);
    this.#pending = raw;
    return notes;
  }

  /**
   * Applies changes sent remotely (MQTT `cmd/set`), all or nothing: every
   * key must exist and be flagged remotely-settable (`admin` keys only while
   * the saved `mqtt.remote_admin` is true), every value valid (strings are
   * parsed like console text, numbers/booleans checked as they are), the
   * result must pass the whole-config rules; then it is saved at once. The
   * technician's staged edits of other keys are kept. A change of an `admin`
   * key first arms the broker fallback with the settings this boot runs on.
   * Error messages never contain a secret value.
   */
  applyRemote(changes: Record<string, unknown> | Map<string, unknown>): RemoteResult {
    const errors: RemoteError[] = [];
    const parsed = new Map<string, Value>();
    if (typeof changes !== "object" || changes === null || Array.isArray(changes)) return { ok: false, errors: [{ key: "", message: "changes must be an object of key: value" }] };
    const entries = changes instanceof Map ? [...changes.entries()] : Object.entries(changes);
    if (entries.length === 0 || entries.length > 32) return { ok: false, errors: [{ key: "", message: `changes must hold 1..32 keys, got ${entries.length}` }] };
    for (const [key, value] of entries) {
      try {
        if (typeof key !== "string") throw new TypeError(`config keys must be strings, got ${typeof key}`);
        const ref = requireKey(key, this.#saved);
        if (ref.spec.admin && this.#saved.get(REMOTE_ADMIN) !== true) {
          errors.push({ key, code: "not-allowed", message: `${key} is a broker/credential key: the technician must enable ${REMOTE_ADMIN} at the serial console first` });
          continue;
        }
        if (!ref.spec.remote && !ref.spec.admin) {
          errors.push({ key, code: "forbidden", message: `${key} is not remotely settable` });
          continue;
        }
        if (ref.kind === "group" && !this.#saved.has(`${ref.group}.${ref.name}.type`)) throw noInstance(ref.group, ref.name);
        parsed.set(key, typeof value === "string" && ref.spec.type !== "string" ? parseText(key, value) : checkValue(key, value));
      } catch (error) {
        errors.push({ key, code: codeOf(error), message: (error as Error).message });
      }
    }
    if (errors.length > 0) return { ok: false, errors };
    const candidate = new Map(this.#saved);
    for (const [k, v] of parsed) candidate.set(k, v);
    try {
      checkConfig(candidate);
    } catch (error) {
      return { ok: false, errors: [{ key: "", code: codeOf(error), message: (error as Error).message }] };
    }
    const adminChanged = [...parsed.keys()].filter((k) => ADMIN_KEYS.includes(k) && parsed.get(k) !== this.#saved.get(k));
    const armedBefore = this.fallback.value;
    let generation: number;
    // Broker keys are written at once (their fallback record goes with them); others within the rate limit.
    const writeNow = adminChanged.length > 0 || !this.#limiter || this.#limiter.request();
    try {
      if (adminChanged.length > 0) this.#armFallback(adminChanged);
      if (writeNow) {
        generation = this.#writeRecord(candidate);
        this.#limiter?.cancel();
      } else {
        generation = ((this.#store.generation ?? 0) + 1) >>> 0;
        this.#behind = true;
        this.#counters?.add("config_saves_coalesced");
      }
    } catch (error) {
      try {
        if (armedBefore) this.fallback.write(armedBefore);
        else if (adminChanged.length > 0) this.fallback.erase();
      } catch {
        // The config was not saved: a stale fallback record only restores what is saved already.
      }
      return { ok: false, errors: [{ key: "", code: codeOf(error), message: (error as Error).message }] };
    }
    const changed = diff(candidate, this.#saved);
    this.#saved = candidate;
    for (const [k, v] of parsed) this.#editPending().set(k, v);
    this.#changed(changed);
    return { ok: true, generation, applied: [...parsed.keys()], restartNeeded: [...parsed.keys()].filter((k) => lookupKey(k)!.spec.restart && this.#running.get(k) !== parsed.get(k)) };
  }

  /**
   * The broker fallback's revert: saves `previous` for every `admin` key,
   * keeping all other keys as saved, and makes them the running values too
   * (it runs at boot before the config is resolved, or right before a
   * restart). Returns the keys that changed. Throws (changing nothing) when
   * the result breaks a rule or the save fails.
   */
  revertAdmin(previous: RawConfig): string[] {
    const candidate = new Map(this.#saved);
    for (const key of ADMIN_KEYS) if (previous.has(key)) candidate.set(key, previous.get(key)!);
    checkConfig(candidate);
    const changed = diff(candidate, this.#saved);
    if (changed.length === 0) return changed;
    this.#writeRecord(candidate);
    this.#limiter?.cancel();
    this.#saved = candidate;
    for (const key of changed) {
      this.#editPending().set(key, candidate.get(key)!);
      if (!this.#overrides.has(key)) this.#editRunning().set(key, candidate.get(key)!);
    }
    this.#changed(changed);
    return changed;
  }

  /** True when a boot-time override replaces an `admin` key, so this boot does not run on the saved broker settings. */
  adminOverridden(): boolean {
    return ADMIN_KEYS.some((key) => this.#overrides.has(key));
  }

  /**
   * Arms (or widens) the fallback before a remote change of `keys`: the
   * previous settings are the ones this boot connected with (the running
   * values; for an overridden key, the saved one). An armed fallback keeps
   * its older previous settings, which are the ones known to work.
   */
  #armFallback(keys: string[]): void {
    const armed = this.fallback.value;
    const previous: RawConfig = new Map();
    for (const key of ADMIN_KEYS) previous.set(key, (this.#overrides.has(key) ? this.#saved.get(key) : this.#running.get(key)) ?? KEYS[key].default!);
    const merged = armed?.state === "trial" ? [...new Set([...armed.keys, ...keys])] : keys;
    this.fallback.write({ state: "trial", boots: 0, keys: merged, previous: armed?.state === "trial" ? armed.previous : previous });
  }

  /** Erases every config record: the next boot starts from factory defaults. */
  factoryReset(): void {
    this.#limiter?.cancel();
    this.#behind = false;
    this.fallback.erase();
    this.#store.erase();
    this.#saved = factoryDefaults();
    this.#pending = this.#saved;
  }

  /** `#pending`, first copied when it is shared with `#saved` or `#running`, to be changed in place. */
  #editPending(): RawConfig {
    if (this.#pending === this.#saved || this.#pending === this.#running) this.#pending = new Map(this.#pending);
    return this.#pending;
  }

  /** `#running`, first copied when it is shared with `#saved` or `#pending`, to be changed in place. */
  #editRunning(): RawConfig {
    if (this.#running === this.#saved || this.#running === this.#pending) this.#running = new Map(this.#running);
    return this.#running;
  }

  #view(key: string, spec: KeySpec): KeyView {
    const value = this.#pending.has(key) ? this.#pending.get(key) : undefined;
    const text = spec.secret ? (value ? "(set)" : "(not set)") : value === undefined ? "(not set)" : `${typeof value === "string" ? showString(value) : showValue(value, spec)}${spec.unit ? ` ${spec.unit}` : ""}`;
    const view: KeyView = {
      key,
      spec,
      value: spec.secret ? undefined : value,
      text,
      unsaved: this.#pending.get(key) !== this.#saved.get(key),
      restart: Boolean(spec.restart) && this.#pending.get(key) !== (this.#overrides.has(key) ? this.#saved.get(key) : this.#running.get(key)),
    };
    if (this.#overrides.has(key)) view.override = this.#overrides.get(key);
    return view;
  }
}

function showString(value: string): string {
  return value === "" || /[\s"'\\]/.test(value) ? JSON.stringify(value) : value;
}

function noInstance(group: GroupId, name: string): UnknownKeyError {
  const label = GROUPS[group].label;
  return new UnknownKeyError(`no ${label} "${name.slice(0, 20)}"; create it with: set ${group}.${name.slice(0, 20)}.type <${(GROUPS[group].fields.type.values ?? []).join("|")}>`);
}

function codeOf(error: unknown): ErrorCode {
  const code = errorCode(error);
  return isErrorCode(code) ? code : "internal";
}

function diff(a: RawConfig, b: RawConfig): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => a.get(k) !== b.get(k)).sort();
}

export { showValue };

/** When `keys` create instances of a group (`ch.<x>.type`, `act.<x>.type`), drops that group's existing keys from `raw`. */
/**
 * What an override alone creates, as `set` would at the console: an
 * `mb.<dev>.<field>` override makes `mb.<dev>` an RTU device (the only
 * type) when nothing else does, and an instance whose `type` an override
 * sets gets its type's defaults (a channel's measure, unit, fields). The
 * implied keys join `parsed`, so they count as overrides.
 */
function createOverriddenInstances(raw: RawConfig, parsed: Map<string, Value>): void {
  for (const key of [...parsed.keys()]) {
    const [group, name, field] = key.split(".");
    if (group === "mb" && field !== "type" && !raw.has(`mb.${name}.type`)) {
      raw.set(`mb.${name}.type`, "rtu");
      parsed.set(`mb.${name}.type`, "rtu");
    }
  }
  for (const key of parsed.keys()) {
    const [group, name, field] = key.split(".");
    if (field === "type" && (group === "ch" || group === "act" || group === "mb" || group === "rule")) fillInstance(raw, group, name);
  }
}

function replaceGroups(raw: RawConfig, keys: string[]): void {
  for (const group of ["ch", "act", "rule"]) {
    if (!keys.some((k) => k.startsWith(`${group}.`) && k.endsWith(".type"))) continue;
    for (const key of [...raw.keys()]) if (key.startsWith(`${group}.`)) raw.delete(key);
  }
}
