import type { MqttConfig } from "../config/node-config.js";
import type { Counters } from "../counters.js";
import type { Logger } from "../log.js";
import type { MqttConnection, MqttFailure, Platform, TimerHandle } from "../platform.js";
import { encodeUtf8 } from "../util/utf8.js";
import { Backoff } from "./backoff.js";
import type { NodeTopics } from "./topics.js";
import { tlsConnectOptions } from "./tls-options.js";

/** Where the session is, for `status`. */
export type SessionState = "connecting" | "connected" | "waiting" | "stopped";

export interface SessionHooks {
  /** The broker accepted us and `online` is out: publish birth, flush queues. */
  onConnected(): void;
  /** A message on the subscription; `retain`: it came from the broker's retained store. */
  onMessage(topic: string, payload: Uint8Array, retain: boolean): void;
  /** A message the transport skipped for its size (`bytes` of payload, not kept). */
  onOversize?(topic: string, bytes: number, retain: boolean): void;
  onPuback(packetId: number): void;
  /** The link took bytes again after a refused publish. */
  onWritable(): void;
  /** The connection is gone (or never came up); the session retries by itself. */
  onDisconnected?(failure: MqttFailure): void;
}

/** Reconnect pacing: full-jitter exponential backoff (see `Backoff`). */
export interface SessionOptions {
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /**
   * How long a link must stay up before the backoff starts again from its
   * base, ms (default 60,000). A link that ends sooner is a flap
   * (`mqtt_flaps`), and the next wait keeps widening: a broker that drops
   * every connection right after CONNACK sees the backoff, not a storm.
   */
  stableMs?: number;
}

/** Default `SessionOptions.stableMs`. */
export const STABLE_LINK_MS = 60_000;

const ONLINE = encodeUtf8("online");
const OFFLINE = encodeUtf8("offline");

/**
 * The node's MQTT session over the platform transport: connects with a
 * retained `offline` will on the state topic, announces `online` (retained),
 * subscribes to commands, and reconnects with exponential backoff and full
 * jitter after any failure. The backoff starts again from its base only once
 * a link has stayed up `stableMs`; a shorter one counts as a flap
 * (`mqtt_flaps`). It never gives up and never reboots the node.
 */
export class MqttSession {
  #platform: Platform;
  #log: Logger;
  #counters: Counters;
  #config: MqttConfig;
  #clientId: string;
  #topics: NodeTopics;
  #hooks: SessionHooks;
  #backoff: Backoff;
  #connection: MqttConnection | undefined;
  #timer: TimerHandle | undefined;
  #state: SessionState = "waiting";
  #lastFailure: (MqttFailure & { at: number }) | undefined;
  #connectedAt: number | undefined;
  #closed: (() => void) | undefined;
  #stableMs: number;
  #stableTimer: TimerHandle | undefined;
  #watchers = new Set<() => void>();

  constructor(platform: Platform, log: Logger, counters: Counters, config: MqttConfig, clientId: string, topics: NodeTopics, hooks: SessionHooks,
    options: SessionOptions = {}) {
    this.#platform = platform;
    this.#log = log;
    this.#counters = counters;
    this.#config = config;
    this.#clientId = clientId;
    this.#topics = topics;
    this.#hooks = hooks;
    this.#backoff = new Backoff(() => platform.system.random(), { baseMs: options.backoffBaseMs, capMs: options.backoffCapMs });
    this.#stableMs = options.stableMs ?? STABLE_LINK_MS;
    if (!(this.#stableMs >= 0)) throw new RangeError(`stableMs must be >= 0, got ${this.#stableMs}`);
  }

  get state(): SessionState {
    return this.#state;
  }

  get lastFailure(): (MqttFailure & { at: number }) | undefined {
    return this.#lastFailure;
  }

  /** One line for `status`: state, since when, and why not connected. */
  describe(): string {
    const now = this.#platform.clock.monotonic();
    if (this.#state === "connected") return `connected to ${this.#config.url} for ${Math.round((now - (this.#connectedAt ?? now)) / 1000)} s`;
    const why = this.#lastFailure ? `; last failure ${this.#lastFailure.stage}: ${this.#lastFailure.message}` : "";
    return `${this.#state} (${this.#config.url}, attempt ${this.#backoff.attempts})${why}`;
  }

  start(): void {
    this.#connect();
  }

  /**
   * Calls `listener` after each PUBACK has been handled and when the link
   * closes (what a clean stop waits on); returns the function that removes it.
   */
  watch(listener: () => void): () => void {
    this.#watchers.add(listener);
    return () => this.#watchers.delete(listener);
  }

  #notify(): void {
    for (const listener of [...this.#watchers]) this.#safely(listener);
  }

  /** Publishes when connected; `false` when not connected or the link is full. */
  publish(topic: string, payload: Uint8Array, qos: 0 | 1, retain = false): number | false {
    if (this.#state !== "connected" || !this.#connection) return false;
    const id = this.#connection.publish(topic, payload, qos, retain);
    if (id === false) this.#counters.add("mqtt_backpressure");
    return id;
  }

  /** Publishes retained `offline`, disconnects cleanly, and stops reconnecting. */
  stop(): Promise<void> {
    this.#platform.timers.clear(this.#timer);
    this.#platform.timers.clear(this.#stableTimer);
    const connection = this.#connection;
    const wasConnected = this.#state === "connected";
    this.#state = "stopped";
    if (!connection) return Promise.resolve();
    return new Promise((resolve) => {
      const give = this.#platform.timers.once(() => { connection.destroy(); resolve(); }, 1500);
      this.#closed = () => { this.#platform.timers.clear(give); resolve(); };
      if (wasConnected) connection.publish(this.#topics.state, OFFLINE, 1, true);
      connection.disconnect();
    });
  }

  #connect(): void {
    if (this.#state === "stopped") return;
    this.#state = "connecting";
    this.#counters.add("mqtt_connect_attempts");
    const config = this.#config;
    let connection: MqttConnection | undefined;
    connection = this.#platform.mqtt.connect(
      {
        url: config.url,
        clientId: this.#clientId,
        username: config.username || undefined,
        password: config.password || undefined,
        keepalive: config.keepalive,
        cleanSession: false,
        will: { topic: this.#topics.state, payload: OFFLINE, qos: 1, retain: true },
        tls: tlsConnectOptions(config),
      },
      {
        onConnect: () => {
          if (this.#connection !== connection) return;
          this.#state = "connected";
          this.#connectedAt = this.#platform.clock.monotonic();
          this.#stableTimer = this.#platform.timers.once(() => this.#backoff.reset(), this.#stableMs);
          this.#counters.add("mqtt_connects");
          this.#log.info("mqtt", `connected to ${config.url}`);
          connection!.publish(this.#topics.state, ONLINE, 1, true);
          connection!.subscribe([this.#topics.cmdFilter], 1);
          this.#safely(() => this.#hooks.onConnected());
        },
        onMessage: (topic, payload, retain) => this.#safely(() => this.#hooks.onMessage(topic, payload, retain === true)),
        onOversize: (topic, bytes, retain) => this.#safely(() => this.#hooks.onOversize?.(topic, bytes, retain)),
        onPuback: (id) => {
          this.#safely(() => this.#hooks.onPuback(id));
          this.#notify();
        },
        onWritable: () => this.#safely(() => this.#hooks.onWritable()),
        onClose: (failure) => this.#onClose(connection, failure),
      },
    );
    this.#connection = connection;
  }

  #onClose(connection: MqttConnection | undefined, failure: MqttFailure): void {
    if (this.#connection !== connection) return;
    this.#connection = undefined;
    if (this.#state === "stopped") {
      this.#notify();
      this.#closed?.();
      return;
    }
    const wasConnected = this.#state === "connected";
    const now = this.#platform.clock.monotonic();
    this.#platform.timers.clear(this.#stableTimer);
    this.#lastFailure = { ...failure, at: now };
    this.#counters.add(`mqtt_fail_${failure.stage}`);
    if (wasConnected) this.#counters.add("mqtt_disconnects");
    const flapped = wasConnected && now - (this.#connectedAt ?? now) < this.#stableMs;
    if (flapped) this.#counters.add("mqtt_flaps");
    this.#safely(() => this.#hooks.onDisconnected?.(failure));
    this.#state = "waiting";
    this.#notify();
    const delay = this.#backoff.next();
    const flap = flapped ? ` (up ${((now - this.#connectedAt!) / 1000).toFixed(1)} s: a flap, backoff not reset)` : "";
    this.#log.warn("mqtt", `${failure.stage}: ${failure.message}${flap}; retry in ${(delay / 1000).toFixed(1)} s`);
    this.#timer = this.#platform.timers.once(() => this.#connect(), delay);
  }

  #safely(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.#counters.add("internal_errors");
      this.#log.error("mqtt", `handler failed: ${(error as Error).message}`);
    }
  }
}
