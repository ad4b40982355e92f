import * as net from "node:net";
import mqttPacket from "mqtt-packet";
import type { Packet } from "mqtt-packet";

/** One message a subscriber received. */
export interface Received {
  topic: string;
  payload: Uint8Array;
  retain: boolean;
  /** Wall ms when it arrived (for logs only; tests never assert on it). */
  at: number;
}

/** A test-side MQTT 3.1.1 subscriber that rides out broker restarts. */
export interface Subscriber {
  readonly messages: Received[];
  /** True while a CONNACK-ed connection is up. */
  readonly connected: boolean;
  /** Publishes (QoS 1) from the test, e.g. a command. */
  publish(topic: string, payload: Uint8Array, retain?: boolean): void;
  /** Resolves when `predicate` holds for the collected messages; rejects after `timeoutMs`. */
  waitFor(predicate: (messages: Received[]) => boolean, timeoutMs: number, what: string): Promise<void>;
  /** Resolves once connected (again). */
  waitConnected(timeoutMs: number): Promise<void>;
  close(): void;
}

/**
 * Connects to `port` on 127.0.0.1 with a persistent session (clean = false)
 * and subscribes to `filters` at QoS 1; reconnects every 100 ms whenever the
 * link drops, so that with broker persistence nothing queued for it is lost.
 * Acknowledges every QoS 1 message (after recording it).
 */
export function startSubscriber(port: number, filters: string[], clientId = `test-sub-${process.pid}`): Subscriber {
  const messages: Received[] = [];
  let socket: net.Socket | undefined;
  let connected = false;
  let closed = false;
  let nextId = 1;
  const waiters = new Set<() => void>();
  const notify = () => { for (const w of [...waiters]) w(); };

  const connect = () => {
    if (closed) return;
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    const s = net.connect({ host: "127.0.0.1", port });
    socket = s;
    const send = (packet: Packet) => { if (!s.destroyed) s.write(mqttPacket.generate(packet)); };
    s.on("connect", () => send({ cmd: "connect", protocolId: "MQTT", protocolVersion: 4, clientId, clean: false, keepalive: 30 }));
    s.on("data", (chunk) => parser.parse(chunk));
    parser.on("packet", (packet: Packet) => {
      if (packet.cmd === "connack") {
        if (packet.returnCode !== 0) { s.destroy(); return; }
        connected = true;
        send({ cmd: "subscribe", messageId: nextId++ & 0xffff || 1, subscriptions: filters.map((topic) => ({ topic, qos: 1 })) });
        notify();
      } else if (packet.cmd === "publish") {
        const payload = typeof packet.payload === "string" ? Buffer.from(packet.payload) : packet.payload;
        messages.push({ topic: packet.topic, payload: new Uint8Array(payload), retain: packet.retain, at: Date.now() });
        if (packet.qos === 1) send({ cmd: "puback", messageId: packet.messageId });
        notify();
      }
    });
    parser.on("error", () => s.destroy());
    s.on("error", () => undefined);
    s.on("close", () => {
      connected = false;
      if (!closed) setTimeout(connect, 100);
    });
  };
  connect();

  return {
    messages,
    get connected() { return connected; },
    publish(topic, payload, retain = false) {
      if (socket && connected) socket.write(mqttPacket.generate({ cmd: "publish", topic, payload: Buffer.from(payload), qos: 1, messageId: nextId++ & 0xffff || 1, retain, dup: false }));
    },
    waitFor(predicate, timeoutMs, what) {
      return new Promise((resolve, reject) => {
        const check = () => { if (predicate(messages)) { done(); resolve(); } };
        const timer = setTimeout(() => { done(); reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${messages.length} messages so far)`)); }, timeoutMs);
        const done = () => { clearTimeout(timer); waiters.delete(check); };
        waiters.add(check);
        check();
      });
    },
    waitConnected(timeoutMs) {
      return this.waitFor(() => connected, timeoutMs, "the subscriber to connect");
    },
    close() {
      closed = true;
      socket?.destroy();
    },
  };
}
