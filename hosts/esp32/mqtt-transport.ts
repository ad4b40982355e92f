/// <reference path="./moddable-extras.d.ts" />
import MQTTClient from "embedded:network/mqtt/client";
import Time from "time";
import Timer from "timer";
import type {
  MqttConnection,
  MqttConnectOptions,
  MqttEvents,
  MqttFailure,
  MqttFailureStage,
  MqttTransport,
} from "../../modules/platform.js";
import { observedNetResolver } from "./net-resolver.js";

/** An ECMA-419 socket class (`embedded:io/socket/tcp`, or `.../tcp/tls`). */
export type SocketClass = new (options: any) => object;

/** Sockets the transport may use; without `tls`, mqtts:// fails at the "tls" stage. */
export interface MqttSockets {
  tcp: SocketClass;
  tls?: SocketClass;
}

/** Incoming PUBLISH payloads larger than this are read and dropped (the firmware's commands are small). */
export const MQTT_INCOMING_MAX = 4096;

/**
 * The port's MQTT transport on the SDK's ECMA-419 MQTT client
 * (`embedded:network/mqtt/client`, MQTT 3.1.1, QoS 0-2, no reconnect, no
 * session state). One client per `connect()`.
 *
 * What the platform can tell about a failure (the SDK client reports every
 * failure with one argument-less `onError`, so the stage is inferred from
 * what the transport saw before it):
 * - "dns": `Net.resolve` did not resolve the host;
 * - "tcp": no connection (refused, unreachable, or no answer within the
 *   client's 30 s connect timeout); "tls" instead for mqtts://, whose socket
 *   only becomes writable after the handshake, so TCP and TLS faults look
 *   alike;
 * - "connack": the link came up but no CONNACK was accepted; the client
 *   drops the CONNACK return code, so `returnCode` is never set, and the
 *   session-present flag, so `onConnect` always reports `false`;
 * - "closed": the socket reported an error or close after CONNACK;
 * - "keepalive": the client gave up with no packet from the broker for 1.5×
 *   keepalive; "protocol": it gave up for any other reason (bytes it could
 *   not parse, or a PINGREQ it could not send).
 *
 * `onConnect` is reported on the client's first `onWritable` after CONNACK
 * (it follows CONNACK at once), so that the firmware's first publishes
 * already know the send-buffer space.
 *
 * Backpressure: `publish` returns `false` when not connected, when the packet
 * is larger than the space the client last reported, or when the client
 * throws "overflow"; `onWritable` follows when space returns. Subscriptions
 * that do not fit wait for the next writable.
 */
export function createMqttTransport(sockets: MqttSockets, log: (line: string) => void): MqttTransport {
  return {
    connect(options: MqttConnectOptions, events: MqttEvents): MqttConnection {
      return new ModdableMqttConnection(sockets, options, events, log);
    },
  };
}

type Phase = "resolving" | "connecting" | "login" | "connected" | "closed";

class ModdableMqttConnection implements MqttConnection {
  readonly #events: MqttEvents;
  readonly #log: (line: string) => void;
  readonly #secure: boolean;
  readonly #keepaliveMs: number;
  #client: MQTTClient | undefined;
  #phase: Phase = "resolving";
  #socketFailed = false;
  #dnsFailure = "host name did not resolve";
  #lastReceived = 0;
  #writable = 0;
  #blocked = false;
  #connackPending = false;
  #nextId = 0;
  #pendingSubscribes: { topics: string[]; qos: 0 | 1 }[] = [];
  #incoming: { topic: string; payload: Uint8Array | undefined; offset: number } | undefined;

  constructor(sockets: MqttSockets, options: MqttConnectOptions, events: MqttEvents, log: (line: string) => void) {
    this.#events = events;
    this.#log = log;
    this.#keepaliveMs = options.keepalive * 1000;
    const url = parseBrokerUrl(options.url);
    this.#secure = url?.[1] === "mqtts";
    if (!url) {
      this.#fail("tcp", `invalid broker URL "${options.url}" (expected mqtt://host:port or mqtts://host:port)`);
      return;
    }
    const socketClass = this.#secure ? sockets.tls : sockets.tcp;
    if (!socketClass) {
      this.#fail("tls", "mqtts:// needs a TLS socket, which this firmware build does not include");
      return;
    }
    const host = url[2]!;
    const port = url[3] === undefined ? (this.#secure ? 8883 : 1883) : Number(url[3]);
    try {
      this.#client = new MQTTClient({
        host,
        port,
        id: options.clientId,
        user: options.username,
        password: options.password,
        clean: options.cleanSession,
        keepAlive: this.#keepaliveMs,
        will: options.will && {
          topic: options.will.topic,
          message: options.will.payload.slice().buffer,
          QoS: options.will.qos,
          retain: options.will.retain,
        },
        dns: {
          io: observedNetResolver({
            onResolved: () => {
              this.#phase = "connecting";
            },
            onFailed: (name) => {
              this.#dnsFailure = `cannot resolve "${name}"`;
            },
            isLive: () => this.#phase !== "closed",
          }),
        },
        socket: {
          io: this.#observedSocket(socketClass),
          ...(this.#secure ? { TCP: { io: sockets.tcp }, secure: tlsOptions(options) } : {}),
        },
        onControl: (first: unknown, second?: unknown) => this.#onControl((typeof first === "object" ? first : second) as ModdableMqttControl),
        onReadable: (count, info) => this.#onReadable(count, info),
        onWritable: (count) => this.#onWritable(count),
        onError: () => this.#onClientError(),
      });
    } catch (error) {
      this.#fail("tcp", `cannot start the MQTT client: ${String(error)}`);
    }
  }

  publish(topic: string, payload: Uint8Array, qos: 0 | 1, retain: boolean, dup = false): number | false {
    const client = this.#client;
    if (this.#phase !== "connected" || client === undefined) return false;
    const topicBytes = ArrayBuffer.fromString(topic).byteLength;
    const body = 2 + topicBytes + (qos ? 2 : 0) + payload.byteLength;
    if (1 + remainingLengthBytes(body) + body > this.#writable) {
      this.#blocked = true;
      return false;
    }
    const id = qos ? this.#allocateId() : 0;
    try {
      this.#writable = client.write(payload, { topic, QoS: qos, retain, duplicate: dup, ...(qos ? { id } : {}) });
    } catch {
      if (qos) this.#nextId = id - 1;
      this.#writable = 0;
      this.#blocked = true;
      return false;
    }
    return id;
  }

  subscribe(topics: string[], qos: 0 | 1): void {
    if (topics.length === 0) return;
    this.#pendingSubscribes.push({ topics: topics.slice(), qos });
    this.#flushSubscribes();
  }

  disconnect(): void {
    const client = this.#client;
    if (this.#phase === "connected" && client !== undefined) {
      try {
        client.write(new Uint8Array(0), { topic: "", operation: MQTTClient.DISCONNECT });
      } catch {
        this.#log("mqtt: DISCONNECT did not fit the send buffer; closing without it");
      }
    }
    this.#fail("closed", "disconnected by the firmware");
  }

  destroy(): void {
    this.#fail("closed", "closed abruptly by the firmware");
  }

  #observedSocket(socketClass: SocketClass): SocketClass {
    const connection = this;
    return class ObservedSocket {
      constructor(options: { onReadable(count: number): void; onWritable(count: number): void; onError(error?: unknown): void }) {
        return new socketClass({
          ...options,
          onReadable(count: number) {
            connection.#lastReceived = Time.ticks;
            options.onReadable(count);
          },
          onWritable(count: number) {
            if (connection.#phase === "connecting" || connection.#phase === "resolving") {
              connection.#phase = "login";
              connection.#lastReceived = Time.ticks;
            }
            options.onWritable(count);
          },
          onError(error?: unknown) {
            connection.#socketFailed = true;
            options.onError(error);
          },
        }) as ObservedSocket;
      }
    };
  }

  #onControl(message: ModdableMqttControl | undefined): void {
    if (message === undefined || this.#phase === "closed") return;
    switch (message.operation) {
      case MQTTClient.CONNACK:
        this.#phase = "connected";
        this.#lastReceived = Time.ticks;
        this.#connackPending = true;
        break;
      case MQTTClient.PUBACK:
        if (message.id !== undefined) this.#events.onPuback(message.id);
        break;
      case MQTTClient.SUBACK:
        if (message.payload?.some((code) => code === 0x80)) this.#log(`mqtt: broker refused a subscription (SUBACK ${message.id})`);
        break;
    }
  }

  #onReadable(count: number, info: { more: boolean; topic?: string; byteLength?: number }): void {
    const client = this.#client;
    if (client === undefined) return;
    if (info.topic !== undefined) {
      const total = info.byteLength ?? count;
      this.#incoming = { topic: info.topic, payload: total <= MQTT_INCOMING_MAX ? new Uint8Array(total) : undefined, offset: 0 };
    }
    const data = client.read(count);
    const incoming = this.#incoming;
    if (incoming === undefined) return;
    if (incoming.payload !== undefined && data !== undefined) {
      incoming.payload.set(new Uint8Array(data), incoming.offset);
      incoming.offset += data.byteLength;
    }
    if (info.more) return;
    this.#incoming = undefined;
    if (incoming.payload === undefined) {
      this.#log(`mqtt: dropped a message on "${incoming.topic}" over ${MQTT_INCOMING_MAX} bytes`);
      return;
    }
    if (this.#phase === "connected") this.#events.onMessage(incoming.topic, incoming.payload);
  }

  #onWritable(count: number): void {
    this.#writable = count;
    if (this.#connackPending && this.#phase === "connected") {
      this.#connackPending = false;
      this.#events.onConnect(false);
    }
    this.#flushSubscribes();
    if (this.#blocked && this.#phase === "connected") {
      this.#blocked = false;
      this.#events.onWritable?.();
    }
  }

  #onClientError(): void {
    switch (this.#phase) {
      case "closed":
        return;
      case "resolving":
        this.#fail("dns", this.#dnsFailure);
        return;
      case "connecting":
        this.#fail(this.#secure ? "tls" : "tcp", this.#secure ? "TCP connect or TLS handshake failed" : "TCP connect failed or timed out");
        return;
      case "login":
        this.#fail("connack", this.#socketFailed ? "broker closed the link before CONNACK" : "broker refused CONNECT (the SDK client does not report the return code)");
        return;
      case "connected": {
        if (this.#socketFailed) {
          this.#fail("closed", "link closed by the peer or the network");
          return;
        }
        const silentMs = Time.delta(this.#lastReceived);
        if (this.#keepaliveMs > 0 && silentMs >= this.#keepaliveMs * 1.5 - 500) {
          this.#fail("keepalive", `no packet from the broker for ${silentMs} ms`);
        } else {
          this.#fail("protocol", "the MQTT client gave up on the link");
        }
      }
    }
  }

  #flushSubscribes(): void {
    const client = this.#client;
    if (this.#phase !== "connected" || client === undefined) return;
    while (this.#pendingSubscribes.length > 0) {
      const { topics, qos } = this.#pendingSubscribes[0]!;
      const id = this.#allocateId();
      try {
        this.#writable = client.write(new Uint8Array(0), {
          topic: "",
          operation: MQTTClient.SUBSCRIBE,
          id,
          items: topics.map((topic) => ({ topic, QoS: qos })),
        });
      } catch {
        this.#nextId = id - 1;
        return;
      }
      this.#pendingSubscribes.shift();
    }
  }

  #allocateId(): number {
    this.#nextId = (this.#nextId % 0xffff) + 1;
    return this.#nextId;
  }

  /** Closes the client (if any) and reports `onClose` once, on a fresh turn. */
  #fail(stage: MqttFailureStage, message: string): void {
    if (this.#phase === "closed") return;
    this.#phase = "closed";
    const client = this.#client;
    this.#client = undefined;
    this.#pendingSubscribes = [];
    try {
      client?.close();
    } catch {
      this.#log("mqtt: client close threw; ignored");
    }
    const failure: MqttFailure = { stage, message };
    Timer.set(() => this.#events.onClose(failure), 0);
  }
}

/**
 * Splits `mqtt[s]://host[:port]` into scheme, host and port. The RegExp is
 * built per call on purpose: a RegExp created while preloading lives in ROM,
 * and XS 17.7 segfaults in `exec` on such a RegExp when a garbage collection
 * runs during the call (reproduced under mcsim).
 */
function parseBrokerUrl(url: string): RegExpExecArray | null {
  return new RegExp("^(mqtts?)://([^:/?#\\s]+)(?::(\\d{1,5}))?/?$").exec(url);
}

function tlsOptions(options: MqttConnectOptions): Record<string, unknown> {
  return options.tls?.ca ? { ca: options.tls.ca } : {};
}

function remainingLengthBytes(length: number): number {
  if (length < 128) return 1;
  if (length < 16_384) return 2;
  if (length < 2_097_152) return 3;
  return 4;
}
