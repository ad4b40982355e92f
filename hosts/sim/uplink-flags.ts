import type { UplinkOptions } from "../../modules/node.js";

/** What a value of each `--uplink` name must be: "count" a whole number >= 1, "positive" > 0, "ms" >= 0. */
const RULES = {
  rate: "positive",
  burst: "burst",
  "in-flight": "count",
  "start-jitter-ms": "ms",
  "flush-ms": "ms",
  "offline-flush-ms": "ms",
  "index-ms": "ms",
  "max-segments": "count",
  "backoff-base-ms": "positive",
  "backoff-cap-ms": "ms",
  "max-packet": "count",
} as const;
type Name = keyof typeof RULES;
const NAMES = Object.keys(RULES) as Name[];

/** The session's backoff base when `--uplink` does not set one (modules/mqtt/backoff.ts). */
const BACKOFF_BASE_DEFAULT_MS = 1000;

/**
 * Parses `--uplink rate=50,flush-ms=200,...` (test and lab knob) into the
 * node's UplinkOptions. Throws TypeError for an item that is not a known
 * name=number, RangeError naming the item for a value out of its bounds
 * (so nothing starts with a value the node would refuse at boot).
 */
export function parseUplinkFlag(text: string): UplinkOptions {
  const values = new Map<Name, number>();
  for (const item of text.split(",").filter((s) => s !== "")) {
    const match = /^([a-z-]+)=([0-9]+(?:\.[0-9]+)?)$/.exec(item.trim());
    if (!match) throw new TypeError(`--uplink item "${item}" is not name=number`);
    if (!(match[1] in RULES)) throw new TypeError(`--uplink: unknown "${match[1]}"; known: ${NAMES.join(", ")}`);
    const name = match[1] as Name;
    const value = Number(match[2]);
    const rule = RULES[name];
    const bad = (expected: string) => new RangeError(`--uplink ${name}=${match[2]}: must be ${expected}`);
    if (rule === "count" && !(Number.isInteger(value) && value >= 1)) throw bad("a whole number >= 1");
    if (rule === "positive" && !(value > 0)) throw bad("> 0");
    if (rule === "burst" && !(value >= 1)) throw bad(">= 1");
    values.set(name, value);
  }
  const cap = values.get("backoff-cap-ms");
  const base = values.get("backoff-base-ms") ?? BACKOFF_BASE_DEFAULT_MS;
  if (cap !== undefined && cap < base) throw new RangeError(`--uplink backoff-cap-ms=${cap}: must be >= backoff-base-ms (${base})`);
  const options: UplinkOptions = { outbox: {}, forwarder: {}, session: {} };
  const set = <T extends object>(target: T, key: keyof T, name: Name) => {
    const value = values.get(name);
    if (value !== undefined) (target as Record<keyof T, number>)[key] = value;
  };
  set(options.forwarder!, "ratePerSec", "rate");
  set(options.forwarder!, "burst", "burst");
  set(options.forwarder!, "maxInFlight", "in-flight");
  set(options.forwarder!, "startJitterMs", "start-jitter-ms");
  set(options.outbox!, "flushMs", "flush-ms");
  set(options.outbox!, "offlineFlushMs", "offline-flush-ms");
  set(options.outbox!, "indexWriteMs", "index-ms");
  set(options.outbox!, "maxSegments", "max-segments");
  set(options.session!, "backoffBaseMs", "backoff-base-ms");
  set(options.session!, "backoffCapMs", "backoff-cap-ms");
  if (values.has("max-packet")) options.maxPacketBytes = values.get("max-packet");
  return options;
}
