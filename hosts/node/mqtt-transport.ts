import { clientCertFailure } from "./client-cert-failure.js";
import * as net from "node:net";
import * as tls from "node:tls";
import { performance } from "node:perf_hooks";
import mqttPacket from "mqtt-packet";
import type { Packet } from "mqtt-packet";
import { MqttFramer, type SkippedPublish } from "./mqtt-framer.js";
import { SharedTicks } from "./shared-ticks.js";
import type {
  MqttConnection, MqttConnectOptions, MqttEvents, MqttFailure, MqttFailureStage, MqttTransport,
} from "../../modules/platform.js";

/** Largest incoming packet kept (fixed header + body); a bigger PUBLISH is skipped and reported, anything else bigger is a "protocol" failure. */
const MAX_PACKET_BYTES = 256 * 1024;
/** Upper bound of DNS + TCP + TLS + CONNACK, in milliseconds. */
const CONNECT_TIMEOUT_MS = 10_000;
/** How long a clean disconnect waits for the broker to close before destroying the socket. */
const DISCONNECT_GRACE_MS = 2_000;
/** Every connection's keepalive check on one timer per period (a fleet holds thousands of connections). */
const KEEPALIVE_TICKS = new SharedTicks();
const CONNACK_MEANINGS = ["accepted", "unacceptable protocol version", "identifier rejected",
  "server unavailable", "bad user name or password", "not authorized"];

interface Endpoint { secure: boolean; host: string; port: number }
type Phase = "resolve" | "tcp" | "tls" | "connack" | "up";

function parseUrl(url: string): Endpoint | string {
  let parsed: URL;
  try { parsed = new URL(url); } catch { return "invalid broker URL (expected mqtt://host:port or mqtts://host:port)"; }
  const secure = parsed.protocol === "mqtts:";
  if (!secure && parsed.protocol !== "mqtt:") return `unsupported broker URL scheme "${parsed.protocol}" (expected mqtt: or mqtts:)`;
  const host = parsed.hostname.replace(/^\[(.*)\]$/, "$1");
  if (host === "") return "invalid broker URL: no host";
  return { secure, host, port: parsed.port === "" ? (secure ? 8883 : 1883) : Number(parsed.port) };
}

const normalizeFingerprint = (text: string) => text.replace(/[:\s]/g, "").toLowerCase();

/** Maps a socket error to the stage it belongs to, given how far the connection got. */
function socketFailure(error: NodeJS.ErrnoException, { host, port }: Endpoint, phase: Phase): MqttFailure {
  const code = error.code ?? "";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_FAIL") return { stage: "dns", message: `cannot resolve ${host} (${code})` };
  if (phase === "up") return { stage: "closed", message: `connection to ${host}:${port} lost (${code || error.message})` };
  if (phase !== "tls") return { stage: "tcp", message: `cannot connect to ${host}:${port} (${code || error.message})` };
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") return { stage: "tls", message: `TLS host name mismatch: the certificate is not valid for ${host}` };
  if (/CERT|SIGNATURE|ISSUER/.test(code)) return { stage: "tls", message: `TLS certificate not trusted (${code})` };
  return { stage: "tls", message: `TLS handshake failed: ${error.message}` };
}

/** Calls a firmware callback; an exception there is reported as a warning and never unwinds into the socket. */
function call(what: string, fn: () => void): void {
  try { fn(); } catch (error) { process.emitWarning(`MQTT ${what} callback threw: ${String(error)}`); }
}

function connect(options: MqttConnectOptions, events: MqttEvents): MqttConnection {
  let socket: net.Socket | undefined;
  let phase: Phase = "resolve";
  let failure: MqttFailure | undefined;
  let finished = false;
  let wantDrain = false;
  let nextId = 1;
  let lastSent = 0, lastReceived = 0, pingSent = false;
  const inFlight = new Map<number, "publish" | "subscribe">();
  const timers: NodeJS.Timeout[] = [];
  let stopKeepalive: (() => void) | undefined;
  const keepaliveMs = options.keepalive * 1000;
  const framer = new MqttFramer(MAX_PACKET_BYTES);
  const parser = mqttPacket.parser({ protocolVersion: 4 });

  const finish = (result: MqttFailure): void => {
    if (finished) return;
    finished = true;
    timers.forEach(clearTimeout);
    stopKeepalive?.();
    call("onClose", () => events.onClose(result));
  };
  const fail = (stage: MqttFailureStage, message: string, extra?: Partial<MqttFailure>): void => {
    failure ??= { stage, message, ...extra };
    if (socket) socket.destroy(); else setImmediate(() => finish(failure!));
  };
  const send = (packet: Packet): boolean => {
    if (!socket || socket.destroyed || failure) return false;
    let bytes: Buffer;
    try { bytes = mqttPacket.generate(packet); } catch (error) {
      fail("protocol", `cannot encode ${packet.cmd}: ${(error as Error).message}`);
      return false;
    }
    lastSent = performance.now();
    socket.write(bytes);
    return true;
  };

  const endpoint = parseUrl(options.url);
  if (typeof endpoint === "string") fail("tcp", endpoint);
  else open(endpoint);

  function open(endpoint: Endpoint): void {
    const { host, port, secure } = endpoint;
    if (net.isIP(host) !== 0) phase = "tcp";
    const timeoutMs = Math.min(CONNECT_TIMEOUT_MS, Math.max(2_000, 1.5 * keepaliveMs || CONNECT_TIMEOUT_MS));
    const stalled = { resolve: ["dns", `resolving ${host}`], tcp: ["tcp", `TCP connect to ${host}:${port}`],
      tls: ["tls", `TLS handshake with ${host}:${port}`], connack: ["connack", "waiting for CONNACK"], up: ["connack", ""] } as const;
    timers.push(setTimeout(() => fail(stalled[phase][0], `${stalled[phase][1]} timed out after ${timeoutMs} ms`), timeoutMs));
    const tlsOptions: tls.ConnectionOptions = { host, port, rejectUnauthorized: true };
    if (options.tls?.ca !== undefined) tlsOptions.ca = options.tls.ca;
    if (options.tls?.cert !== undefined && options.tls.key !== undefined) Object.assign(tlsOptions, { cert: options.tls.cert, key: options.tls.key });
    if (net.isIP(host) === 0) tlsOptions.servername = host;
    try {
      socket = secure ? tls.connect(tlsOptions, () => onSecure(endpoint)) : net.connect({ host, port }, () => onTcp());
    } catch (error) {
      if (secure && options.tls?.cert !== undefined) return fail("tls", `mqtt.tls_cert / mqtt.tls_key refused: ${(error as Error).message}`);
      return fail(secure ? "tls" : "tcp", `cannot open ${host}:${port}: ${(error as Error).message}`);
    }
    socket.setNoDelay(true);
    socket.on("lookup", () => { if (phase === "resolve") phase = "tcp"; });
    socket.on("connect", () => { if (secure) phase = "tls"; });
    socket.on("data", onData);
    socket.on("drain", () => { if (wantDrain && !failure) { wantDrain = false; call("onWritable", () => events.onWritable?.()); } });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      failure ??= (phase !== "up" ? clientCertFailure(error, options.tls?.cert !== undefined) : undefined) ?? socketFailure(error, endpoint, phase);
    });
    socket.on("close", () => {
      if (!failure && framer.midPacket) failure = { stage: "protocol", message: "connection closed in the middle of a packet" };
      if (!failure && phase === "tls") failure = { stage: "tls", message: "TLS handshake failed: the broker closed the connection" };
      finish(failure ?? (phase === "up"
        ? { stage: "closed", message: "connection closed by the broker" }
        : { stage: "tcp", message: "connection closed by the broker before CONNACK" }));
    });
  }

  function onSecure(endpoint: Endpoint): void {
    const pin = options.tls?.fingerprint;
    const actual = socket instanceof tls.TLSSocket ? socket.getPeerCertificate().fingerprint256 ?? "" : "";
    if (pin !== undefined && normalizeFingerprint(actual) !== normalizeFingerprint(pin)) {
      return fail("tls", `TLS certificate fingerprint mismatch for ${endpoint.host}`);
    }
    onTcp();
  }

  function onTcp(): void {
    phase = "connack";
    lastReceived = performance.now();
    const { username, password, will } = options;
    send({
      cmd: "connect", protocolId: "MQTT", protocolVersion: 4, clientId: options.clientId, clean: options.cleanSession,
      keepalive: options.keepalive, username, password: password === undefined ? undefined : Buffer.from(password, "utf8"),
      ...(will ? { will: { topic: will.topic, payload: Buffer.from(will.payload), qos: will.qos, retain: will.retain } } : {}),
    });
  }

  function onData(chunk: Buffer): void {
    if (failure) return;
    const { items, error } = framer.push(chunk);
    for (const item of items) {
      // Only a whole packet proves the broker alive: bytes trickling in do not.
      lastReceived = performance.now();
      pingSent = false;
      if (item.kind === "skipped") {
        onSkipped(item);
        if (failure || finished) return;
        continue;
      }
      let parsed: Packet | Error | undefined;
      parser.once("packet", (packet: Packet) => { parsed = packet; });
      parser.once("error", (error: Error) => { parsed = error; });
      if (parser.parse(item.bytes) !== 0) parsed = new Error("trailing bytes");
      parser.removeAllListeners();
      if (parsed === undefined || parsed instanceof Error) return fail("protocol", `invalid packet: ${parsed?.message ?? "incomplete"}`);
      onPacket(parsed);
      if (failure || finished) return;
    }
    if (error !== undefined) fail("protocol", error);
  }

  /** A PUBLISH over the bound, received to its end but not kept: acknowledged and reported; the link stays. */
  function onSkipped(skipped: SkippedPublish): void {
    if (phase !== "up") return fail("protocol", `expected CONNACK, got a PUBLISH of ${skipped.bytes} bytes`);
    if (skipped.qos > 1) return fail("protocol", skipped.qos === 2 ? "unexpected QoS 2 PUBLISH" : "PUBLISH with QoS 3");
    if (skipped.qos === 1) send({ cmd: "puback", messageId: skipped.messageId });
    call("onOversize", () => events.onOversize?.(skipped.topic, skipped.payloadBytes, skipped.retain));
  }

  function onPacket(packet: Packet): void {
    if (phase !== "up") {
      if (packet.cmd !== "connack") return fail("protocol", `expected CONNACK, got ${packet.cmd.toUpperCase()}`);
      const code = packet.returnCode ?? 0;
      const meaning = CONNACK_MEANINGS[code] ?? "unknown return code";
      if (code !== 0) return fail("connack", `broker refused the connection: ${meaning} (return code ${code})`, { returnCode: code });
      phase = "up";
      clearTimeout(timers[0]);
      if (keepaliveMs > 0) stopKeepalive = KEEPALIVE_TICKS.add(Math.min(1000, keepaliveMs / 4), checkKeepalive);
      call("onConnect", () => events.onConnect(packet.sessionPresent));
      return;
    }
    switch (packet.cmd) {
      case "publish": {
        if (packet.qos === 2) return fail("protocol", "unexpected QoS 2 PUBLISH");
        if (packet.qos === 1) send({ cmd: "puback", messageId: packet.messageId });
        const payload = typeof packet.payload === "string" ? Buffer.from(packet.payload) : packet.payload;
        call("onMessage", () => events.onMessage(packet.topic, new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength), packet.retain));
        return;
      }
      case "puback": case "suback": {
        const id = packet.messageId ?? 0;
        const kind = inFlight.get(id);
        inFlight.delete(id);
        if (kind === "publish" && packet.cmd === "puback") call("onPuback", () => events.onPuback(id));
        return;
      }
      case "pingresp": case "unsuback":
        return;
      default:
        fail("protocol", `unexpected ${packet.cmd.toUpperCase()} from the broker`);
    }
  }

  function checkKeepalive(): void {
    const now = performance.now();
    if (now - lastReceived >= 1.5 * keepaliveMs) {
      fail("keepalive", `no whole packet from the broker for ${Math.round(now - lastReceived)} ms (keepalive ${options.keepalive} s)`);
    } else if (!pingSent && (now - lastSent >= keepaliveMs || now - lastReceived >= keepaliveMs)) {
      pingSent = send({ cmd: "pingreq" });
    }
  }

  function allocateId(kind: "publish" | "subscribe"): number | undefined {
    if (inFlight.size >= 65535) return undefined;
    while (inFlight.has(nextId)) nextId = nextId === 65535 ? 1 : nextId + 1;
    const id = nextId;
    nextId = nextId === 65535 ? 1 : nextId + 1;
    inFlight.set(id, kind);
    return id;
  }

  return {
    publish(topic, payload, qos, retain, dup = false) {
      if (phase !== "up" || failure || !socket) return false;
      if (socket.writableNeedDrain) { wantDrain = true; return false; }
      const id = qos === 1 ? allocateId("publish") : 0;
      if (id === undefined) return false;
      const body = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
      const sent = send({ cmd: "publish", topic, payload: body, qos, retain, dup, ...(qos === 1 ? { messageId: id } : {}) });
      if (!sent && id !== 0) inFlight.delete(id);
      return sent ? id : false;
    },
    subscribe(topics, qos) {
      const messageId = phase === "up" && !failure && topics.length > 0 ? allocateId("subscribe") : undefined;
      if (messageId !== undefined) send({ cmd: "subscribe", messageId, subscriptions: topics.map((topic) => ({ topic, qos })) });
    },
    disconnect() {
      if (finished || failure) return;
      if (phase !== "up" || !socket) return fail("closed", "disconnected by the client");
      send({ cmd: "disconnect" });
      failure = { stage: "closed", message: "disconnected by the client" };
      socket.end();
      timers.push(setTimeout(() => socket?.destroy(), DISCONNECT_GRACE_MS));
    },
    destroy() {
      if (!finished) fail("closed", "destroyed by the client");
    },
  };
}

/**
 * The MQTT 3.1.1 transport of the Node.js programs (fieldnode-sim, fieldnode-monitor):
 * mqtt-packet framing over `node:net`
 * (mqtt://, default port 1883) or `node:tls` (mqtts://, default port 8883).
 *
 * Failures are reported once per `connect()` through `onClose` with the stage
 * where they happened (see `MqttFailureStage`); nothing is thrown. The whole
 * connect (DNS, TCP, TLS, CONNACK) is bounded by 10 s or 1.5 × keepalive,
 * whichever is smaller (at least 2 s). TLS verifies the chain against
 * `tls.ca` (or Node's default store) and the host name; a `tls.fingerprint`
 * (SHA-256 of the broker certificate, hex, colons optional) is checked in
 * addition. Incoming packets are kept up to 256 KiB; a larger PUBLISH is
 * skipped without being buffered, acknowledged (QoS 1) and reported through
 * `onOversize`, and the link stays up. Only a whole packet from the broker
 * counts for the keepalive: a link that trickles bytes is declared dead.
 */
export function createMqttTransport(): MqttTransport {
  return { connect };
}
