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
import { PublishFlagsWatch } from "./publish-flags-watch.js";

/** An ECMA-419 socket class (`embedded:io/socket/tcp`, or `.../tcp/tls`). */
export type SocketClass = new (options: any) => object;

/** The callbacks an ECMA-419 socket is constructed with (the part the transport observes). */
interface SocketCallbacks {
  onReadable(count: number): void;
  onWritable(count: number): void;
  onError(error?: unknown): void;
}

/** Sockets the transport may use; without `tls`, mqtts:// fails at the "tls" stage. */
export interface MqttSockets {
  tcp: SocketClass;
  tls?: SocketClass;
}

/**
 * Incoming PUBLISH payloads larger than this are read and dropped as they
 * arrive, never kept whole, and reported through `onOversize` (the
 * firmware's commands are small); the SDK client acknowledges them as usual.
 */
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
 *   client's 30 s connect timeout), for mqtts:// too (the TCP socket under
 *   TLS is observed on its own);
 * - "tls" (mqtts:// only): TCP connected but the handshake failed (the
 *   server certificate is not signed by the configured CA or a built-in one,
 *   is out of date or the clock is not set, does not name the host; or a
 *   fatal alert), with the SDK's reason in the message; the configured CA is
 *   not a PEM certificate; or a fingerprint pin is configured: "fingerprint
 *   pinning not supported on this platform" (the SDK's TLS socket does not
 *   expose the peer certificate, and connecting without the requested pin
 *   would be weaker than what was asked);
 * - "connack": the link came up but no CONNACK was accepted; the client
 *   drops the CONNACK return code, so `returnCode` is never set, and the
 *   session-present flag, so `onConnect` always reports `false`;
 * - "closed": the socket reported an error or close after CONNACK;
 * - "keepalive": no whole packet from the broker for 1.5× keepalive (the
 *   transport's own check: the SDK client counts any bytes, so a link that
 *   trickles a byte at a time would never die), or the client gave up for
 *   that reason; "protocol": it gave up for any other reason (bytes it could
 *   not parse, or a PINGREQ it could not send).
 *
 * The SDK client does not report an incoming PUBLISH's retain flag: the
 * transport recovers it by following the packet boundaries in what the
 * client reads from its socket (`PublishFlagsWatch`).
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
  /** mqtts:// only: the TCP socket under TLS connected (so a later failure is the handshake's). */
  #tcpUp = false;
  /** mqtts:// only: what the SDK's TLS code threw (its TLSError message, e.g. "certificate: auth err"). */
  #tlsError: string | undefined;
  /** Whether this connection sends a client certificate (mqtt.tls_cert). */
  #hasClientCert = false;
  #hasCa = false;
  #dnsFailure = "host name did not resolve";
  #lastReceived = 0;
  /** Time.ticks of the last whole packet from the broker (only those prove the link alive). */
  #lastPacket = 0;
  #liveness: Timer | undefined;
  readonly #flags = new PublishFlagsWatch();
  #writable = 0;
  #blocked = false;
  #connackPending = false;
  #nextId = 0;
  #pendingSubscribes: { topics: string[]; qos: 0 | 1 }[] = [];
  #incoming: { topic: string; payload: Uint8Array | undefined; offset: number; total: number; retain: boolean } | undefined;

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
    let secure: SecureOptions | undefined;
    if (this.#secure) {
      if (options.tls?.fingerprint) {
        // The SDK's TLS socket keeps the peer certificate to itself, so a pin cannot be checked:
        // refuse rather than connect without the check the technician asked for.
        this.#fail("tls", "fingerprint pinning not supported on this platform");
        return;
      }
      const ca = options.tls?.ca;
      const certificate = ca === undefined ? undefined : firstDerCertificate(ca);
      if (certificate === null) {
        this.#fail("tls", "the configured CA is not a PEM certificate");
        return;
      }
      this.#hasCa = certificate !== undefined;
      secure = { serverName: host, verify: true, ...(certificate ? { certificate } : {}) };
      if (options.tls?.cert !== undefined && options.tls.key !== undefined) {
        // Mutual TLS: the SDK's certificate manager sends clientCertificates[0] and signs with clientKey (PKCS#8 DER).
        const clientCertificate = firstDerCertificate(options.tls.cert);
        const clientKey = firstDerBlock(options.tls.key, "PRIVATE KEY");
        if (clientCertificate === null || clientKey === null) {
          this.#fail("tls", "mqtt.tls_cert / mqtt.tls_key: not a PEM certificate and PKCS#8 key");
          return;
        }
        this.#hasClientCert = true;
        secure.clientCertificates = [clientCertificate];
        secure.clientKey = clientKey;
      }
    }
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
          ...(secure ? { TCP: { io: this.#observedTcp(sockets.tcp) }, secure } : {}),
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
      constructor(options: SocketCallbacks) {
        try {
          return connection.#openSocket(socketClass, options) as ObservedSocket;
        } catch (error) {
          // The TLS socket sets up its session first: a CA it cannot take (not DER, out of date) throws here.
          if (connection.#secure) connection.#tlsError ??= error instanceof Error ? error.message : String(error);
          throw error;
        }
      }
    };
  }

  #openSocket(socketClass: SocketClass, options: SocketCallbacks): object {
    const connection = this;
    const socket = new socketClass({
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
    });
    this.#watchReads(socket);
    return socket;
  }

  /**
   * Shows every read of the client's socket to `#flags`. An own `read` is
   * defined rather than assigned: the prototype is frozen once preloaded, and
   * assigning over a frozen inherited property throws. Should the socket
   * refuse it, retain flags stay unknown (false) and all else works.
   */
  #watchReads(socket: object): void {
    const read = (socket as { read?: (...args: unknown[]) => unknown }).read;
    if (typeof read !== "function") return;
    const flags = this.#flags;
    try {
      Object.defineProperty(socket, "read", {
        value(...args: unknown[]): unknown {
          const value = read.apply(socket, args);
          flags.observe(value);
          return value;
        },
      });
    } catch {
      this.#log("mqtt: cannot watch the socket's reads; retained messages will not be recognised");
    }
  }

  /**
   * The TCP socket under the SDK's TLS socket, observed: it tells whether TCP
   * connected, and it catches what the TLS code throws from its socket
   * callbacks (a refused certificate or host name, a fatal alert). The SDK's
   * TLS socket lets those escape instead of calling `onError`, which would
   * leave the MQTT client waiting for its 30 s connect timeout; here they
   * become an error at once, with the reason kept for the "tls" failure.
   */
  #observedTcp(tcpClass: SocketClass): SocketClass {
    const connection = this;
    return class ObservedTcp {
      constructor(options: SocketCallbacks) {
        let socket: object | undefined;
        const guard = (callback: () => void): void => {
          try {
            callback();
          } catch (error) {
            connection.#tlsError ??= error instanceof Error ? error.message : String(error);
            if (socket !== undefined) options.onError(error);
          }
        };
        socket = new tcpClass({
          ...options,
          onReadable(count: number) {
            guard(() => options.onReadable(count));
          },
          onWritable(count: number) {
            connection.#tcpUp = true;
            guard(() => options.onWritable(count));
          },
          onError(error?: unknown) {
            options.onError(error);
          },
        });
        return socket as ObservedTcp;
      }
    };
  }

  #onControl(message: ModdableMqttControl | undefined): void {
    if (message === undefined || this.#phase === "closed") return;
    this.#lastPacket = Time.ticks;
    switch (message.operation) {
      case MQTTClient.CONNACK:
        this.#phase = "connected";
        this.#lastReceived = Time.ticks;
        this.#connackPending = true;
        if (this.#keepaliveMs > 0) this.#liveness = Timer.repeat(() => this.#checkLiveness(), Math.min(1000, this.#keepaliveMs / 4));
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
      this.#incoming = { topic: info.topic, payload: total <= MQTT_INCOMING_MAX ? new Uint8Array(total) : undefined, offset: 0, total, retain: this.#flags.retain };
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
    this.#lastPacket = Time.ticks;
    if (this.#phase !== "connected") return;
    if (incoming.payload === undefined) this.#events.onOversize?.(incoming.topic, incoming.total, incoming.retain);
    else this.#events.onMessage(incoming.topic, incoming.payload, incoming.retain);
  }

  /** Declares the link dead after 1.5× keepalive without a whole packet (bytes trickling in do not count). */
  #checkLiveness(): void {
    const silentMs = Time.delta(this.#lastPacket);
    if (this.#phase === "connected" && silentMs >= this.#keepaliveMs * 1.5) this.#fail("keepalive", `no whole packet from the broker for ${silentMs} ms`);
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
        if (!this.#secure || (!this.#tcpUp && this.#tlsError === undefined)) {
          this.#fail("tcp", "TCP connect failed or timed out");
        } else {
          this.#fail("tls", this.#tlsFailure());
        }
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

  /** Why the handshake failed, as far as the SDK's TLS code said, with the likely cause. */
  #tlsFailure(): string {
    const reason = this.#tlsError;
    if (reason === undefined) return "TLS handshake failed or timed out";
    if (Date.now() < CLOCK_PLAUSIBLE) return `TLS failed (${reason}): the clock is not set yet, so certificate dates cannot be checked`;
    if (!reason.startsWith("certificate:"))
      return this.#hasClientCert ? `TLS failed (${reason}): the broker may have rejected the client certificate mqtt.tls_cert (this SDK's TLS signs with RSA keys only)` : `TLS failed: ${reason}`;
    if (!this.#hasCa) return `server certificate not accepted (${reason}): no CA configured (mqtt.tls_ca) and the broker's CA is not built in`;
    return `server certificate not accepted (${reason}): not signed by the configured CA, expired, or not issued for this host name`;
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
    if (this.#liveness !== undefined) Timer.clear(this.#liveness);
    this.#liveness = undefined;
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

/** 2024-01-01: a clock before this was not set (SNTP has not answered). */
const CLOCK_PLAUSIBLE = 1_704_067_200_000;

/**
 * `options.secure` of the SDK's TLS socket (`embedded:io/socket/tcp/tls`),
 * which hands it to its `ssl/session`: `serverName` is sent as SNI and is
 * the name the server certificate's subjectAltName must match (DNS name, or
 * IPv4 address); `verify` checks the chain and the dates; `certificate` is
 * one trusted CA as DER, added to the CAs built into the firmware.
 */
interface SecureOptions {
  serverName: string;
  verify: boolean;
  certificate?: ArrayBuffer;
  /** The client certificate chain as DER (the SDK's ssl/cert CertificateManager sends the first). */
  clientCertificates?: ArrayBuffer[];
  /** The client key as PKCS#8 DER (parsed by the SDK's `pkcs8` module; its TLS signs with RSA keys only). */
  clientKey?: ArrayBuffer;
}

/**
 * The first certificate of a PEM text as DER, for the SDK's TLS session,
 * which takes one trusted certificate as DER and does not read PEM. The port
 * hands a PEM bundle; the firmware's config holds one CA, so further
 * certificates in the bundle are ignored. Returns null when there is none
 * or its base64 is invalid. No RegExp (see `parseBrokerUrl`).
 */
export function firstDerCertificate(pem: string): ArrayBuffer | null {
  return firstDerBlock(pem, "CERTIFICATE");
}

/** The first PEM block labelled `label` as DER (a SEQUENCE), or null; see `firstDerCertificate`. */
export function firstDerBlock(pem: string, label: string): ArrayBuffer | null {
  const begin = `-----BEGIN ${label}-----`;
  const start = pem.indexOf(begin);
  const end = pem.indexOf(`-----END ${label}-----`, start + 1);
  if (start < 0 || end < 0) return null;
  try {
    const der = Uint8Array.fromBase64(pem.slice(start + begin.length, end));
    return der.byteLength > 0 && der[0] === 0x30 ? der.buffer as ArrayBuffer : null;
  } catch {
    return null;
  }
}

function remainingLengthBytes(length: number): number {
  if (length < 128) return 1;
  if (length < 16_384) return 2;
  if (length < 2_097_152) return 3;
  return 4;
}
