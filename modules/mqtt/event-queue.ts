import { Encoder } from "cbor-x/encode";
import { ConfigStore } from "../config/store.js";
import type { RawConfig } from "../config/schema.js";
import type { Counters } from "../counters.js";
import type { Logger } from "../log.js";
import { SaveLimiter } from "../config/save-limiter.js";
import type { Clock, Storage, Timers } from "../platform.js";

/** Events kept while the broker is away; beyond this the oldest go (counted in `events_dropped`). */
export const EVENT_QUEUE_MAX = 8;
/** Characters of an event's detail kept on flash (the record stays small). */
export const EVENT_DETAIL_KEPT = 200;
/** Prefix of the queue's A/B record on flash (`evq.a.0`, `evq.b.0`). */
export const EVENT_STORE_PREFIX = "evq";

/** What the queue needs from the node: the uplink, and who/when to stamp on an event. */
export interface EventQueueDeps {
  /** Publishes on `.../evt` (QoS 1); false when it cannot be sent now. */
  publish(payload: Uint8Array): number | boolean;
  counters: Counters;
  log: Logger;
  bootId: string;
  /** Monotonic ms since boot. */
  uptimeMs(): number;
  /** Where waiting events survive a reboot; without it they live in RAM only. */
  storage?: Storage;
  /** With `storage`: the record is written at most once per EVENT_STORE_WINDOW_MS (a flapping source must not wear the flash). */
  timers?: Timers;
  clock?: Clock;
}

/** Shortest time between two writes of the event record, ms (the config save window). */
export const EVENT_STORE_WINDOW_MS = 10_000;

interface NodeEvent {
  kind: string;
  detail: string;
  boot: string;
  uptime: number;
  /** Extra keys of the map (an `act` event's actuator, value, source); kept in RAM only, not across a reboot. */
  fields?: Record<string, string | number | boolean>;
}

/**
 * The node's event sink (`.../evt`, docs/contracts.md "Events"): each event
 * is logged (WARN), counted in `events`, and published as a CBOR map with
 * text keys `{kind, detail, boot, uptime}`; while it cannot be sent it waits
 * in a queue of at most `max` (default EVENT_QUEUE_MAX), oldest dropped
 * first and counted in `events_dropped`. `flush()` (on connect) sends the
 * waiting ones, oldest first. With `storage`, the waiting events also
 * survive a reboot or power loss: they are kept in an A/B record with a
 * generation and a CRC-32 (the config store's format, prefix `evq`; details
 * cut to EVENT_DETAIL_KEPT characters), written only when the waiting set
 * changes (never while events go straight out; with `timers` at most once
 * per EVENT_STORE_WINDOW_MS, the last state of a window at its end), and sent after the next
 * boot's connect with their own boot id and uptime. A refused flash write
 * is counted (`events_store_errors`). Never throws.
 */
export class EventQueue {
  #deps: EventQueueDeps;
  #max: number;
  #queue: NodeEvent[] = [];
  #store: ConfigStore | undefined;
  #limiter: SaveLimiter | undefined;
  /** Events in the record on flash (so an emptied queue is written once more). */
  #stored = 0;
  #encoder = new Encoder({ useRecords: false, tagUint8Array: false } as ConstructorParameters<typeof Encoder>[0]);

  /** Throws RangeError when `max` is not a positive integer. */
  constructor(deps: EventQueueDeps, max = EVENT_QUEUE_MAX) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`event queue max must be a positive integer, got ${max}`);
    this.#deps = deps;
    this.#max = max;
    if (deps.storage) this.#load(deps.storage);
    if (deps.storage && deps.timers && deps.clock) this.#limiter = new SaveLimiter(deps.timers, deps.clock, () => this.#write(), EVENT_STORE_WINDOW_MS);
  }

  /** Events waiting to be sent. */
  get length(): number {
    return this.#queue.length;
  }

  /** Raises an event: logs it, and publishes it now or queues it; `fields` join the map (they cannot replace its own keys). */
  raise(kind: string, detail: string, fields?: Record<string, string | number | boolean>): void {
    const { counters, log, bootId } = this.#deps;
    counters.add("events");
    log.warn("event", `${kind}: ${detail}`);
    const event: NodeEvent = { kind, detail, boot: bootId, uptime: Math.floor(this.#deps.uptimeMs() / 1000) };
    if (fields) event.fields = fields;
    const sent = this.#sendWaiting();
    if (this.#queue.length === 0 && this.#send(event)) {
      if (sent > 0) this.#persist();
      return;
    }
    this.#queue.push(event);
    if (this.#queue.length > this.#max) {
      this.#queue.shift();
      counters.add("events_dropped");
    }
    this.#persist();
  }

  /** Sends the waiting events, oldest first, until one cannot be sent. */
  flush(): void {
    if (this.#sendWaiting() > 0) this.#persist();
  }

  /** Writes the record now when a rate-limited write waits (clean stop, restart). */
  persistNow(): void {
    if (!this.#limiter?.waiting) return;
    this.#limiter.cancel();
    this.#write();
  }

  /** Sends waiting events in order; returns how many went. */
  #sendWaiting(): number {
    let sent = 0;
    while (this.#queue.length > 0 && this.#send(this.#queue[0])) {
      this.#queue.shift();
      sent++;
    }
    return sent;
  }

  #send(event: NodeEvent): boolean {
    try {
      const { fields, ...own } = event;
      return this.#deps.publish(this.#encoder.encode(fields ? { ...fields, ...own } : own)) !== false;
    } catch {
      this.#deps.counters.add("internal_errors");
      return false;
    }
  }

  #load(storage: Storage): void {
    this.#store = new ConfigStore(storage, EVENT_STORE_PREFIX);
    const { values } = this.#store.load();
    const count = values.n;
    if (typeof count !== "number" || !Number.isInteger(count) || count < 0) return;
    for (let i = 0; i < Math.min(count, this.#max); i++) {
      const [kind, detail, boot, uptime] = [values[`${i}.k`], values[`${i}.d`], values[`${i}.b`], values[`${i}.u`]];
      if (typeof kind === "string" && typeof detail === "string" && typeof boot === "string" && typeof uptime === "number") this.#queue.push({ kind, detail, boot, uptime });
    }
    this.#stored = this.#queue.length;
  }

  /** Writes the record now, or (rate-limited) at the end of the current window. */
  #persist(): void {
    if (!this.#store || (this.#queue.length === 0 && this.#stored === 0)) return;
    if (!this.#limiter || this.#limiter.request()) this.#write();
  }

  #write(): void {
    if (!this.#store || (this.#queue.length === 0 && this.#stored === 0)) return;
    const raw: RawConfig = new Map();
    raw.set("n", this.#queue.length);
    this.#queue.forEach((e, i) => {
      raw.set(`${i}.k`, e.kind.slice(0, 32));
      raw.set(`${i}.d`, e.detail.slice(0, EVENT_DETAIL_KEPT));
      raw.set(`${i}.b`, e.boot);
      raw.set(`${i}.u`, e.uptime);
    });
    try {
      this.#store.save(raw);
      this.#stored = this.#queue.length;
    } catch {
      this.#deps.counters.add("events_store_errors");
    }
  }
}
