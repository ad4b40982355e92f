import type { Counters } from "../counters.js";
import { TokenBucket } from "../mqtt/token-bucket.js";
import type { Platform, TimerHandle } from "../platform.js";
import type { Outbox } from "./outbox.js";
import { preparePack, type SendContext } from "./telemetry-pack.js";

/** Pacing of the uplink; defaults in `FORWARDER_DEFAULTS`. */
export interface ForwarderOptions {
  /** Sustained publish rate, packs per second (live and replay share it). */
  ratePerSec: number;
  /** Packs that may go out back to back before the rate applies. */
  burst: number;
  /** QoS 1 publishes awaiting PUBACK at once. */
  maxInFlight: number;
  /** After a reconnect with a backlog, replay starts after a random delay in [0, this]. */
  startJitterMs: number;
}

export const FORWARDER_DEFAULTS: Readonly<ForwarderOptions> = Object.freeze({ ratePerSec: 5, burst: 10, maxInFlight: 8, startJitterMs: 3000 });

/**
 * Moves telemetry from the outbox to the broker: strictly oldest first (a
 * backlog drains before newer packs, live ones included), at most
 * `maxInFlight` unacknowledged, paced by a token bucket so that a fleet
 * reconnecting together does not flood the broker, and after a random start
 * delay when there is a backlog. Packs that waited get the `_hist` record and
 * uptime stamps are re-based when the clock is known (`preparePack`).
 */
export class Forwarder {
  #platform: Platform;
  #outbox: Outbox;
  #counters: Counters;
  #publish: (payload: Uint8Array) => number | false;
  #context: (historical: boolean) => SendContext;
  #options: ForwarderOptions;
  #bucket: TokenBucket;
  #online = false;
  #inFlight = 0;
  #timer: TimerHandle | undefined;

  constructor(platform: Platform, outbox: Outbox, counters: Counters, publish: (payload: Uint8Array) => number | false,
    context: (historical: boolean) => SendContext, options: Partial<ForwarderOptions> = {}) {
    this.#options = { ...FORWARDER_DEFAULTS, ...options };
    const { maxInFlight, startJitterMs } = this.#options;
    if (!Number.isInteger(maxInFlight) || maxInFlight < 1) throw new RangeError(`maxInFlight must be a positive integer, got ${maxInFlight}`);
    if (!(startJitterMs >= 0)) throw new RangeError(`startJitterMs must be >= 0, got ${startJitterMs}`);
    this.#platform = platform;
    this.#outbox = outbox;
    this.#counters = counters;
    this.#publish = publish;
    this.#context = context;
    this.#bucket = new TokenBucket(this.#options.ratePerSec, this.#options.burst, platform.clock.monotonic());
  }

  /** Queues a new pack and sends what the pacing allows. */
  add(pack: Uint8Array): void {
    if (this.#outbox.push(pack, !this.#online)) this.pump();
  }

  /** The session is up: start sending (after a jitter when a backlog waits). */
  online(): void {
    this.#online = true;
    this.#inFlight = 0;
    const backlog = this.#outbox.depth;
    if (backlog > this.#options.burst && this.#options.startJitterMs > 0) {
      const delay = Math.floor(this.#platform.system.random() * this.#options.startJitterMs);
      this.#schedule(delay);
    } else this.pump();
  }

  /** The session is down: whatever was in flight is sent again later, as historical. */
  offline(): void {
    this.#online = false;
    this.#inFlight = 0;
    this.#platform.timers.clear(this.#timer);
    this.#timer = undefined;
    this.#outbox.requeueInFlight();
    this.#outbox.markHistorical();
  }

  /** PUBACK from the broker. */
  ack(packetId: number): void {
    if (this.#outbox.ack(packetId)) {
      this.#inFlight = Math.max(0, this.#inFlight - 1);
      this.#counters.add("tele_acked");
    }
    this.pump();
  }

  /** Sends as many packs as the window, the bucket and the link allow. */
  pump(): void {
    if (!this.#online || this.#timer !== undefined) return;
    while (this.#inFlight < this.#options.maxInFlight) {
      const entry = this.#outbox.next();
      if (!entry) return;
      const now = this.#platform.clock.monotonic();
      if (!this.#bucket.take(now)) {
        this.#schedule(this.#bucket.wait(now));
        return;
      }
      const id = this.#publish(preparePack(entry.bytes, this.#context(entry.historical)));
      if (id === false) return; // the link is full or gone: onWritable or online() pumps again
      this.#outbox.sent(entry, id);
      this.#inFlight++;
      this.#counters.add(entry.historical ? "tele_sent_hist" : "tele_sent");
    }
  }

  #schedule(delayMs: number): void {
    this.#platform.timers.clear(this.#timer);
    this.#timer = this.#platform.timers.once(() => {
      this.#timer = undefined;
      this.pump();
    }, Math.max(1, delayMs));
  }
}
