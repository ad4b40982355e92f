import test from "ava";
import { once } from "node:events";
import * as net from "node:net";
import { startEmbeddedBroker } from "../../../hosts/sim/embedded-broker.js";
import { createMqttTransport } from "../../../hosts/node/mqtt-transport.js";
import type { MqttConnection, MqttFailure, MqttWill } from "../../../modules/platform.js";

const transport = createMqttTransport();
let counter = 0;

/** Connects, resolving once CONNACK arrives; `messages`, `pubacks` and `closed` record the rest. */
async function client(url: string, will?: MqttWill) {
  const messages: { topic: string; payload: string }[] = [];
  const pubacks: number[] = [];
  let changed = () => {};
  let closeWith: (failure: MqttFailure) => void = () => {};
  const closed = new Promise<MqttFailure>((resolve) => { closeWith = resolve; });
  let connection!: MqttConnection;
  await new Promise<void>((resolve, reject) => {
    connection = transport.connect({ url, clientId: `e${++counter}`, keepalive: 30, cleanSession: true, ...(will ? { will } : {}) }, {
      onConnect: () => resolve(),
      onMessage: (topic, payload) => { messages.push({ topic, payload: new TextDecoder().decode(payload) }); changed(); },
      onPuback: (id) => { pubacks.push(id); changed(); },
      onClose: (failure) => { reject(new Error(failure.message)); closeWith(failure); },
    });
  });
  const until = (condition: () => boolean) => new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timed out waiting for a message")), 20_000);
    changed = () => { if (condition()) { clearTimeout(timer); resolve(); } };
    changed();
  });
  return { connection, messages, pubacks, closed, until };
}

test("starts on a free port of 127.0.0.1 and relays QoS 1 with PUBACK", async (t) => {
  const broker = await startEmbeddedBroker();
  t.teardown(() => broker.close());
  t.true(broker.port > 0);
  t.is(broker.url, `mqtt://127.0.0.1:${broker.port}`);
  const sub = await client(broker.url);
  sub.connection.subscribe(["fieldnode/+/tele"], 1);
  const pub = await client(broker.url);
  await sub.until(() => { pub.connection.publish("fieldnode/n1/tele", new Uint8Array([1, 2]), 0, false); return sub.messages.length > 0; });
  const id = pub.connection.publish("fieldnode/n1/tele", new TextEncoder().encode("hello"), 1, false);
  await pub.until(() => pub.pubacks.includes(id as number));
  await sub.until(() => sub.messages.some((m) => m.payload === "hello"));
  t.pass();
});

test("fires the will of a destroyed client only", async (t) => {
  const broker = await startEmbeddedBroker();
  t.teardown(() => broker.close());
  const watcher = await client(broker.url);
  watcher.connection.subscribe(["state/#"], 1);
  const will = (name: string): MqttWill => ({ topic: `state/${name}`, payload: new TextEncoder().encode("offline"), qos: 1, retain: false });
  const polite = await client(broker.url, will("polite"));
  const rude = await client(broker.url, will("rude"));
  await watcher.until(() => { polite.connection.publish("state/ping", new Uint8Array(0), 0, false); return watcher.messages.length > 0; });
  polite.connection.disconnect();
  await polite.closed;
  rude.connection.destroy();
  await watcher.until(() => watcher.messages.some((m) => m.topic === "state/rude"));
  t.false(watcher.messages.some((m) => m.topic === "state/polite"));
});

test("close() ends connected clients and frees the port promptly", async (t) => {
  const broker = await startEmbeddedBroker();
  const c = await client(broker.url);
  await broker.close();
  t.is((await c.closed).stage, "closed");
  await broker.close();
  const probe = net.connect({ host: "127.0.0.1", port: broker.port });
  const [error] = await once(probe, "error");
  t.is((error as NodeJS.ErrnoException).code, "ECONNREFUSED");
});

test("rejects when the port is taken", async (t) => {
  const first = await startEmbeddedBroker();
  t.teardown(() => first.close());
  await t.throwsAsync(startEmbeddedBroker({ port: first.port }), { code: "EADDRINUSE" });
});
