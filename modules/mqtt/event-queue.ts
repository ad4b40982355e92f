import { Encoder } from "cbor-x/encode";
import type { Counters } from "../counters.js";
import type { Logger } from "../log.js";

/** Events kept while the broker is away; beyond this the oldest go (counted in `events_dropped`). */
export const EVENT_QUEUE_MAX = 8;

/** What the queue needs from the node: the uplink, and who/when to stamp on an event. */
export interface EventQueueDeps {
  /** Publishes on `.../evt` (QoS 1); false when it cannot be sent now. */
  publish(payload: Uint8Array): number | boolean;
  counters: Counters;
  log: Logger;
  bootId: string;
  /** Monotonic ms since boot. */
  uptimeMs(): number;
}

/**
 * The node's event sink (`.../evt`, docs/contracts.md "Events"): each event
 * is logged (WARN), counted in `events`, encoded as a CBOR map with text keys
 * `{kind, detail, boot, uptime}` and published; while it cannot be sent it
 * waits in a queue of at most `max` (default EVENT_QUEUE_MAX), oldest
 * dropped first and counted in `events_dropped`. `flush()` (on connect) sends
 * the waiting ones, oldest first. Never throws.
 */
export class EventQueue {
  #deps: EventQueueDeps;
  #max: number;
  #queue: Uint8Array[] = [];
  #encoder = new Encoder({ useRecords: false, tagUint8Array: false } as ConstructorParameters<typeof Encoder>[0]);

  /** Throws RangeError when `max` is not a positive integer. */
  constructor(deps: EventQueueDeps, max = EVENT_QUEUE_MAX) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`event queue max must be a positive integer, got ${max}`);
    this.#deps = deps;
    this.#max = max;
  }

  /** Events waiting to be sent. */
  get length(): number {
    return this.#queue.length;
  }

  /** Raises an event: logs it, and publishes it now or queues it. */
  raise(kind: string, detail: string): void {
    const { counters, log, bootId } = this.#deps;
    counters.add("events");
    log.warn("event", `${kind}: ${detail}`);
    const payload = this.#encoder.encode({ kind, detail, boot: bootId, uptime: Math.floor(this.#deps.uptimeMs() / 1000) });
    if (this.#send(payload)) return;
    this.#queue.push(payload);
    if (this.#queue.length > this.#max) {
      this.#queue.shift();
      counters.add("events_dropped");
    }
  }

  /** Sends the waiting events, oldest first, until one cannot be sent. */
  flush(): void {
    while (this.#queue.length > 0 && this.#send(this.#queue[0])) this.#queue.shift();
  }

  #send(payload: Uint8Array): boolean {
    try {
      return this.#deps.publish(payload) !== false;
    } catch {
      this.#deps.counters.add("internal_errors");
      return false;
    }
  }
}
