import { Decoder } from "cbor-x/decode";
import { Encoder } from "cbor-x/encode";
import type { Counters } from "../counters.js";
import type { MqttCode } from "../errors.js";
import type { Logger } from "../log.js";
import { OTA_ARGS } from "../ota/ota-request.js";

/** Largest command payload accepted, bytes; bigger ones are refused with `too_large`. */
export const COMMAND_MAX_BYTES = 512;
/** Ids remembered (per boot) to recognise a repeated command; oldest forgotten first. */
export const COMMAND_ID_MEMORY = 32;

/** Error codes of a command response (docs/contracts.md): the MQTT spelling of the one vocabulary (modules/errors.ts). */
export type CommandCode = MqttCode;

/** What a command handler answers: a result, or an error with a code. */
export type CommandOutcome = { ok: true; result?: unknown } | { ok: false; code: CommandCode; error: string };

/** The node's parts that commands act on; each validates its own arguments and changes nothing on error. */
export interface CommandTargets {
  /** Wall-clock ms, or undefined before the clock is synchronised. */
  wallTime(): number | undefined;
  ping(): unknown;
  /** Samples a channel now. */
  read(channel: string): CommandOutcome;
  /** Sets an actuator. */
  actuate(name: string, value: number | boolean): CommandOutcome;
  /**
   * Sets remotely settable config keys, all or none: `forbidden` for a key
   * never settable remotely, `not_allowed` for a broker/credential key while
   * the technician has not enabled `mqtt.remote_admin`.
   */
  configure(entries: Map<string, string | number | boolean>): CommandOutcome;
  /** Publishes the birth message again. */
  rebirth(): CommandOutcome;
  /** Restarts the node after the response went out. */
  reboot(): CommandOutcome;
  /** Starts an over-the-air update (modules/ota); absent: `unsupported`. */
  ota?(id: string, args: Map<string, unknown>): CommandOutcome;
}

/** A response on `.../resp` (CBOR map, string keys). */
export interface CommandResponse {
  id: string | null;
  ok: boolean;
  code?: CommandCode;
  error?: string;
  result?: unknown;
  /** True when this id was seen before and the first response is repeated (not applied again). */
  dup?: true;
}

const decoder = new Decoder({ mapsAsObjects: false, useRecords: false } as ConstructorParameters<typeof Decoder>[0]);
// Plain CBOR maps (no tag 259), as any CBOR decoder reads them.
const encoder = new Encoder({ useRecords: false, useTag259ForMaps: false, tagUint8Array: false, variableMapSize: true } as ConstructorParameters<typeof Encoder>[0]);

/** Encodes a response as CBOR (a map with string keys; absent fields are left out). */
export function encodeResponse(response: CommandResponse): Uint8Array {
  const map = new Map<string, unknown>();
  for (const [k, v] of Object.entries(response)) if (v !== undefined) map.set(k, v);
  return new Uint8Array(encoder.encode(map));
}

/**
 * Handles commands from `<prefix>/<nodeId>/cmd/<verb>`: validates, applies
 * once, and returns the response to publish on `.../resp`. Payload: a CBOR
 * map with string keys: `id` (1-32 printable ASCII), optional `exp` (epoch
 * seconds after which the command must not run), and the verb's arguments.
 * Malformed, oversize, unknown, out-of-range and expired commands get an
 * error and change nothing; a repeated id gets the first response again,
 * flagged `dup`, without being applied. Never throws.
 */
export class CommandHandler {
  #targets: CommandTargets;
  #counters: Counters;
  #log: Logger;
  #seen = new Map<string, CommandResponse>();

  constructor(targets: CommandTargets, counters: Counters, log: Logger) {
    this.#targets = targets;
    this.#counters = counters;
    this.#log = log;
  }

  /** Handles one command; `verb` is the topic level after `cmd/`. */
  handle(verb: string, payload: Uint8Array): CommandResponse {
    let response: CommandResponse;
    try {
      response = this.#handle(verb, payload);
    } catch (error) {
      response = { id: null, ok: false, code: "failed", error: `internal error: ${(error as Error).message}` };
      this.#counters.add("internal_errors");
    }
    return this.#count(verb, response);
  }

  /**
   * Refuses a command the transport could not keep (`bytes` of payload over
   * its bound): `too_large` with a null id (the payload, and so the id, is
   * gone), naming the verb. Counted like any refusal, and in `cmd_too_large`.
   */
  refuseTooLarge(verb: string, bytes: number): CommandResponse {
    return this.#count(verb, { id: null, ok: false, code: "too_large", error: `${JSON.stringify(verb.slice(0, 64))}: payload of ${bytes} bytes exceeds ${COMMAND_MAX_BYTES}` });
  }

  #count(verb: string, response: CommandResponse): CommandResponse {
    this.#counters.add(response.dup ? "cmd_dup" : response.ok ? "cmd_ok" : "cmd_errors");
    if (response.code === "too_large") this.#counters.add("cmd_too_large");
    if (!response.ok && !response.dup) this.#log.warn("cmd", `${verb}: ${response.code}: ${response.error}`);
    return response;
  }

  #handle(verb: string, payload: Uint8Array): CommandResponse {
    const fail = (id: string | null, code: CommandCode, error: string): CommandResponse => ({ id, ok: false, code, error });
    if (payload.byteLength > COMMAND_MAX_BYTES) return fail(null, "too_large", `payload of ${payload.byteLength} bytes exceeds ${COMMAND_MAX_BYTES}`);
    let value: unknown;
    try {
      value = decoder.decode(payload);
    } catch (error) {
      return fail(null, "bad_request", `payload is not CBOR: ${(error as Error).message}`);
    }
    if (!(value instanceof Map)) return fail(null, "bad_request", "payload must be a CBOR map");
    for (const key of value.keys()) if (typeof key !== "string") return fail(null, "bad_request", `map keys must be text strings, got ${String(key)}`);
    const args = value as Map<string, unknown>;
    const id = args.get("id");
    if (typeof id !== "string" || !/^[\x21-\x7e]{1,32}$/.test(id)) return fail(null, "bad_request", `"id" must be 1-32 printable ASCII characters, got ${describe(id)}`);
    const seen = this.#seen.get(id);
    if (seen) return { ...seen, dup: true };
    const response = this.#run(id, verb, args);
    this.#seen.set(id, response);
    if (this.#seen.size > COMMAND_ID_MEMORY) this.#seen.delete(this.#seen.keys().next().value!);
    return response;
  }

  #run(id: string, verb: string, args: Map<string, unknown>): CommandResponse {
    const fail = (code: CommandCode, error: string): CommandResponse => ({ id, ok: false, code, error });
    const exp = args.get("exp");
    if (exp !== undefined) {
      if (typeof exp !== "number" || !Number.isFinite(exp) || exp <= 0) return fail("bad_request", `"exp" must be epoch seconds, got ${describe(exp)}`);
      const now = this.#targets.wallTime();
      if (now === undefined) return fail("no_clock", "the node's clock is not synchronised, so it cannot honour \"exp\"");
      if (now > exp * 1000) return fail("expired", `expired at ${exp}, now ${Math.floor(now / 1000)}`);
    }
    const allowed = ALLOWED_ARGS[verb];
    if (!allowed) return fail("unknown_verb", `unknown verb "${verb}"; known: ${Object.keys(ALLOWED_ARGS).join(", ")}`);
    for (const key of args.keys()) if (key !== "id" && key !== "exp" && !allowed.includes(key)) return fail("bad_request", `"${verb}" takes no "${key}"`);
    let outcome: CommandOutcome;
    switch (verb) {
      case "ping":
        outcome = { ok: true, result: this.#targets.ping() };
        break;
      case "read": {
        const ch = args.get("ch");
        if (typeof ch !== "string" || ch === "") return fail("bad_request", `"ch" must be a channel name, got ${describe(ch)}`);
        outcome = this.#targets.read(ch);
        break;
      }
      case "act": {
        const name = args.get("name");
        const v = args.get("value");
        if (typeof name !== "string" || name === "") return fail("bad_request", `"name" must be an actuator name, got ${describe(name)}`);
        if (typeof v !== "boolean" && (typeof v !== "number" || !Number.isFinite(v))) return fail("bad_request", `"value" must be a number or boolean, got ${describe(v)}`);
        outcome = this.#targets.actuate(name, v);
        break;
      }
      case "set": {
        const keys = args.get("keys");
        if (!(keys instanceof Map) || keys.size === 0) return fail("bad_request", `"keys" must be a non-empty map of key to value, got ${describe(keys)}`);
        for (const [k, v] of keys) {
          if (typeof k !== "string") return fail("bad_request", `config keys must be strings, got ${describe(k)}`);
          if (typeof v !== "string" && typeof v !== "boolean" && (typeof v !== "number" || !Number.isFinite(v)))
            return fail("bad_request", `value of "${k}" must be a string, number or boolean, got ${describe(v)}`);
        }
        outcome = this.#targets.configure(keys as Map<string, string | number | boolean>);
        break;
      }
      case "rebirth":
        outcome = this.#targets.rebirth();
        break;
      case "ota":
        outcome = this.#targets.ota ? this.#targets.ota(id, args) : { ok: false, code: "unsupported", error: "this node cannot update over the air" };
        break;
      default:
        outcome = this.#targets.reboot();
    }
    return outcome.ok ? { id, ok: true, ...(outcome.result !== undefined ? { result: outcome.result } : {}) } : fail(outcome.code, outcome.error);
  }
}

/** Verbs and the arguments each takes besides `id` and `exp`. */
const ALLOWED_ARGS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  ping: [],
  read: ["ch"],
  act: ["name", "value"],
  set: ["keys"],
  rebirth: [],
  reboot: [],
  ota: OTA_ARGS,
});

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value instanceof Map) return `a map of ${value.size}`;
  if (value instanceof Uint8Array) return `${value.byteLength} bytes`;
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return `${typeof value} ${String(value).slice(0, 40)}`;
}
