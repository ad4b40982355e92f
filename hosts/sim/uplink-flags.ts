import type { UplinkOptions } from "../../modules/node.js";

/** Names `--uplink` accepts, each a non-negative number. */
const NAMES = ["rate", "burst", "in-flight", "start-jitter-ms", "flush-ms", "offline-flush-ms", "index-ms", "max-segments", "backoff-base-ms", "backoff-cap-ms", "max-packet"] as const;

/**
 * Parses `--uplink rate=50,flush-ms=200,...` (test and lab knob) into the
 * node's UplinkOptions. Throws RangeError naming the bad item.
 */
export function parseUplinkFlag(text: string): UplinkOptions {
  const values = new Map<string, number>();
  for (const item of text.split(",").filter((s) => s !== "")) {
    const match = /^([a-z-]+)=([0-9]+(?:\.[0-9]+)?)$/.exec(item.trim());
    if (!match) throw new RangeError(`--uplink item "${item}" is not name=number`);
    if (!(NAMES as readonly string[]).includes(match[1])) throw new RangeError(`--uplink: unknown "${match[1]}"; known: ${NAMES.join(", ")}`);
    values.set(match[1], Number(match[2]));
  }
  const pick = (name: (typeof NAMES)[number]) => values.get(name);
  const options: UplinkOptions = { outbox: {}, forwarder: {}, session: {} };
  const set = <T extends object>(target: T, key: keyof T, name: (typeof NAMES)[number]) => {
    const value = pick(name);
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
  if (pick("max-packet") !== undefined) options.maxPacketBytes = pick("max-packet");
  return options;
}
