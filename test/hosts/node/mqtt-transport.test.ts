import test from "ava";
import { seededRandom } from "../../helpers/seeded-random.js";
import { EventEmitter, once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import * as net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqttPacket from "mqtt-packet";
import { createMqttTransport } from "../../../hosts/node/mqtt-transport.js";
import type { MqttConnectOptions, MqttFailure } from "../../../modules/platform.js";
import { brokerTest, freePort, makePasswordFile, startMosquitto, type Mosquitto, type MosquittoOptions } from "../../helpers/mosquitto.js";
import { makeTestCertificates, type TestCertificates } from "../../helpers/certs.js";

const transport = createMqttTransport();
const bytes = (text: string) => new TextEncoder().encode(text);
const text = (payload: Uint8Array) => new TextDecoder().decode(payload);
let clientCounter = 0;

/** Opens a connection and records everything it reports; `until` awaits a condition without sleeping. */
function open(url: string, extra: Partial<MqttConnectOptions> = {}) {
  const changed = new EventEmitter();
  const log = { connects: 0, writable: 0, messages: [] as { topic: string; payload: string }[], pubacks: [] as number[], closes: [] as MqttFailure[],
    retained: [] as string[], oversize: [] as { topic: string; bytes: number; retain: boolean }[] };
  const connection = transport.connect({ url, clientId: `t${process.pid}-${++clientCounter}`, keepalive: 30, cleanSession: true, ...extra }, {
    onConnect() { log.connects++; changed.emit("change"); },
    onMessage(topic, payload, retain) { log.messages.push({ topic, payload: text(payload) }); if (retain) log.retained.push(text(payload)); changed.emit("change"); },
    onOversize(topic, bytes, retain) { log.oversize.push({ topic, bytes, retain }); changed.emit("change"); },
    onPuback(id) { log.pubacks.push(id); changed.emit("change"); },
    onClose(failure) { log.closes.push(failure); changed.emit("change"); },
    onWritable() { log.writable++; changed.emit("change"); },
  });
  async function until(condition: () => boolean, what: string, ms = 20_000): Promise<void> {
    const deadline = setTimeout(() => changed.emit("timeout"), ms);
    try {
      while (!condition()) {
        const [event] = await Promise.race([once(changed, "change").then(() => ["change"]), once(changed, "timeout").then(() => ["timeout"])]);
        if (event === "timeout") throw new Error(`timed out waiting for ${what}; closes: ${JSON.stringify(log.closes)}`);
      }
    } finally { clearTimeout(deadline); }
  }
  const connected = async () => { await until(() => log.connects > 0 || log.closes.length > 0, "CONNACK"); if (log.connects === 0) throw new Error(`not connected: ${JSON.stringify(log.closes[0])}`); };
  const closed = async (ms?: number) => { await until(() => log.closes.length > 0, "onClose", ms); return log.closes[0]; };
  return { connection, log, until, connected, closed };
}

/** Starts Mosquitto for one test and stops it at the end. */
async function withMosquitto(t: { teardown(fn: () => Promise<void>): void }, options?: MosquittoOptions): Promise<Mosquitto> {
  const broker = await startMosquitto(options);
  if (!broker) throw new Error("mosquitto missing");
  t.teardown(() => broker.stop());
  return broker;
}

brokerTest("publishes QoS 0 and QoS 1, gets the PUBACK, subscribes and receives", async (t) => {
  const broker = await withMosquitto(t);
  const sub = open(broker.url);
  await sub.connected();
  sub.connection.subscribe(["fieldnode/t/#"], 1);
  const pub = open(broker.url);
  await pub.connected();
  await sub.until(() => { pub.connection.publish("fieldnode/t/probe", bytes("probe"), 0, false); return sub.log.messages.length > 0; }, "subscription");
  t.is(pub.connection.publish("fieldnode/t/zero", bytes("q0"), 0, false), 0);
  const id = pub.connection.publish("fieldnode/t/one", bytes("q1"), 1, false);
  t.true(typeof id === "number" && id >= 1 && id <= 65535);
  await pub.until(() => pub.log.pubacks.includes(id as number), "PUBACK");
  await sub.until(() => sub.log.messages.some((m) => m.payload === "q1") && sub.log.messages.some((m) => m.payload === "q0"), "messages");
  t.deepEqual(sub.log.messages.find((m) => m.payload === "q1"), { topic: "fieldnode/t/one", payload: "q1" });
  pub.connection.disconnect();
  sub.connection.disconnect();
  t.is((await pub.closed()).stage, "closed");
  await sub.closed();
  t.is(pub.log.closes.length, 1);
});

brokerTest("the will fires on destroy() but not on disconnect()", async (t) => {
  const broker = await withMosquitto(t);
  const watcher = open(broker.url);
  await watcher.connected();
  watcher.connection.subscribe(["will/#", "marker"], 1);
  const will = (name: string) => ({ topic: `will/${name}`, payload: bytes(`offline ${name}`), qos: 1 as const, retain: false });
  const polite = open(broker.url, { will: will("polite") });
  const rude = open(broker.url, { will: will("rude") });
  await polite.connected();
  await rude.connected();
  await watcher.until(() => { polite.connection.publish("marker", bytes("m"), 0, false); return watcher.log.messages.length > 0; }, "marker");
  polite.connection.disconnect();
  await polite.closed();
  rude.connection.destroy();
  t.is((await rude.closed()).stage, "closed");
  await watcher.until(() => watcher.log.messages.some((m) => m.topic === "will/rude"), "will of the destroyed client");
  const marker = open(broker.url);
  await marker.connected();
  marker.connection.publish("marker", bytes("end"), 1, false);
  await watcher.until(() => watcher.log.messages.some((m) => m.payload === "end"), "end marker");
  t.false(watcher.log.messages.some((m) => m.topic === "will/polite"));
  for (const c of [watcher, marker]) c.connection.disconnect();
});

brokerTest("a broker restart ends the link at the closed stage; the same URL connects again", async (t) => {
  const broker = await withMosquitto(t);
  const first = open(broker.url);
  await first.connected();
  await broker.restart();
  t.is((await first.closed()).stage, "closed");
  const second = open(broker.url);
  await second.connected();
  second.connection.disconnect();
  await second.closed();
});

test("a closed port fails at the tcp stage", async (t) => {
  const port = await freePort();
  const c = open(`mqtt://127.0.0.1:${port}`);
  t.is(c.connection.publish("x", bytes("x"), 1, false), false);
  const failure = await c.closed();
  t.is(failure.stage, "tcp");
  t.regex(failure.message, /ECONNREFUSED/);
});

test("an unresolvable host fails at the dns stage", async (t) => {
  const failure = await open("mqtt://nonexistent.invalid:1883").closed();
  t.is(failure.stage, "dns", failure.message);
});

test("a malformed URL is reported through onClose, asynchronously", async (t) => {
  for (const url of ["not a url", "http://127.0.0.1:1883", "mqtt://:1883"]) {
    const c = open(url);
    t.is(c.log.closes.length, 0);
    const failure = await c.closed();
    t.is(failure.stage, "tcp");
    t.regex(failure.message, /URL/);
  }
});

brokerTest("a wrong password fails at the connack stage", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "fieldnode-pw-"));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const passwordFile = await makePasswordFile(dir, "node", "right-secret");
  const broker = await withMosquitto(t, { passwordFile });
  const bad = await open(broker.url, { username: "node", password: "wrong-secret" }).closed();
  t.is(bad.stage, "connack");
  t.true(bad.returnCode === 4 || bad.returnCode === 5, `returnCode ${bad.returnCode}`);
  t.false(bad.message.includes("secret"));
  const good = open(broker.url, { username: "node", password: "right-secret" });
  await good.connected();
  good.connection.disconnect();
});

let certs: TestCertificates | undefined;
let certDir: string | undefined;
test.before(async () => {
  certDir = await mkdtemp(join(tmpdir(), "fieldnode-certs-"));
  certs = await makeTestCertificates(certDir);
});
test.after.always(async () => { if (certDir) await rm(certDir, { recursive: true, force: true }); });

brokerTest("TLS: the right CA connects, a wrong CA or host name fails at the tls stage", async (t) => {
  const c = certs!;
  const broker = await withMosquitto(t, { tls: { caFile: c.ca.certFile, certFile: c.server.certFile, keyFile: c.server.keyFile } });
  const wrongHost = await withMosquitto(t, { tls: { caFile: c.ca.certFile, certFile: c.wrongHost.certFile, keyFile: c.wrongHost.keyFile } });
  for (const url of [broker.url, `mqtts://localhost:${broker.port}`]) {
    const good = open(url, { tls: { ca: c.ca.pem } });
    await good.connected();
    good.connection.disconnect();
    await good.closed();
  }
  const wrongCa = await open(broker.url, { tls: { ca: c.otherCa.pem } }).closed();
  t.is(wrongCa.stage, "tls");
  t.regex(wrongCa.message, /not trusted/);
  const mismatch = await open(wrongHost.url, { tls: { ca: c.ca.pem } }).closed();
  t.is(mismatch.stage, "tls");
  t.regex(mismatch.message, /host name mismatch/);
});

brokerTest("TLS: a fingerprint pin connects when right and fails at the tls stage when wrong", async (t) => {
  const c = certs!;
  const broker = await withMosquitto(t, { tls: { caFile: c.ca.certFile, certFile: c.server.certFile, keyFile: c.server.keyFile } });
  for (const pin of [c.server.fingerprint256, c.server.fingerprint256.replace(/:/g, "").toLowerCase()]) {
    const good = open(broker.url, { tls: { ca: c.ca.pem, fingerprint: pin } });
    await good.connected();
    good.connection.disconnect();
    await good.closed();
  }
  const wrong = await open(broker.url, { tls: { ca: c.ca.pem, fingerprint: "00".repeat(32) } }).closed();
  t.is(wrong.stage, "tls");
  t.regex(wrong.message, /fingerprint mismatch/);
});

brokerTest("a frozen broker is detected at the keepalive stage", async (t) => {
  const broker = await withMosquitto(t);
  const c = open(broker.url, { keepalive: 1 });
  await c.connected();
  broker.pause();
  t.teardown(() => broker.resume());
  const failure = await c.closed(15_000);
  broker.resume();
  t.is(failure.stage, "keepalive");
  t.is(c.log.closes.length, 1);
});

/** A TCP server that runs `answer` on each connection; closed at the end of the test. */
async function fakeBroker(t: { teardown(fn: () => void): void }, answer: (socket: net.Socket) => void): Promise<string> {
  const server = net.createServer((socket) => { socket.on("error", () => undefined); answer(socket); });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  t.teardown(() => server.close());
  return `mqtt://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

test("hostile bytes end in exactly one onClose with protocol or closed, never an exception", async (t) => {
  const random = seededRandom(0x5eed);
  let garbage = Buffer.alloc(0);
  let split = 0;
  const url = await fakeBroker(t, (socket) => { socket.write(garbage.subarray(0, split)); socket.end(garbage.subarray(split)); });
  for (let run = 0; run < 300; run++) {
    const noise = Buffer.from(Array.from({ length: 1 + Math.floor(random() * 64) }, () => Math.floor(random() * 256)));
    garbage = run % 2 === 0 ? noise : Buffer.concat([Buffer.from([0x20, 0x02, 0x00, 0x00]), noise]);
    split = Math.floor(random() * garbage.length);
    const c = open(url, { keepalive: 5 });
    const failure = await c.closed();
    await new Promise((resolve) => setImmediate(resolve));
    t.is(c.log.closes.length, 1);
    if (!["protocol", "closed"].includes(failure.stage)) t.fail(`run ${run}, bytes ${garbage.toString("hex")}: ${JSON.stringify(failure)}`);
  }
});

test("a broker that never answers fails at the connack stage within the bound", async (t) => {
  const failure = await open(await fakeBroker(t, () => undefined), { keepalive: 1 }).closed();
  t.is(failure.stage, "connack");
  t.regex(failure.message, /timed out/);
});

test("a PUBLISH over the size bound is skipped, acknowledged and reported; the link stays and the next message arrives", async (t) => {
  const acks: number[] = [];
  const url = await fakeBroker(t, (socket) => {
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    parser.on("packet", (packet) => { if (packet.cmd === "puback") acks.push(packet.messageId ?? -1); });
    socket.on("data", (chunk) => parser.parse(chunk));
    socket.write(mqttPacket.generate({ cmd: "connack", returnCode: 0, sessionPresent: false }));
    const big = mqttPacket.generate({ cmd: "publish", topic: "fieldnode/n/cmd/ping", payload: Buffer.alloc(300_000, 0x41), qos: 1, messageId: 7, retain: false, dup: false });
    // In small pieces, as a network delivers it; the transport must not wait for it whole.
    for (let at = 0; at < big.length; at += 1500) socket.write(big.subarray(at, at + 1500));
    socket.write(mqttPacket.generate({ cmd: "publish", topic: "fieldnode/n/cmd/ping", payload: Buffer.from("small"), qos: 1, messageId: 8, retain: true, dup: false }));
  });
  const c = open(url);
  await c.until(() => c.log.messages.some((m) => m.payload === "small"), "the message after the big one");
  for (let i = 0; i < 200 && !acks.includes(8); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  t.deepEqual(c.log.closes, [], "the link stays up");
  t.deepEqual(c.log.oversize, [{ topic: "fieldnode/n/cmd/ping", bytes: 300_000, retain: false }]);
  t.deepEqual(c.log.retained, ["small"], "the retain flag reaches onMessage");
  t.deepEqual(acks, [7, 8], "the skipped QoS 1 PUBLISH is acknowledged, in order");
  c.connection.destroy();
});

test("a packet other than PUBLISH over the size bound fails at the protocol stage", async (t) => {
  const url = await fakeBroker(t, (socket) => {
    socket.write(mqttPacket.generate({ cmd: "connack", returnCode: 0, sessionPresent: false }));
    socket.write(Buffer.from([0x90, 0x80, 0x80, 0x80, 0x01]));
  });
  const c = open(url);
  const failure = await c.closed();
  t.is(c.log.connects, 1);
  t.is(failure.stage, "protocol");
  t.regex(failure.message, /limit/);
});

test("publish() returns false under backpressure and onWritable follows the drain", async (t) => {
  let peer: net.Socket | undefined;
  const url = await fakeBroker(t, (socket) => {
    peer = socket;
    socket.once("data", () => { socket.pause(); socket.write(mqttPacket.generate({ cmd: "connack", returnCode: 0, sessionPresent: false })); });
  });
  const c = open(url);
  await c.connected();
  const chunk = new Uint8Array(64 * 1024);
  let accepted = 0;
  while (c.connection.publish("big", chunk, 0, false) !== false && accepted < 5000) accepted++;
  t.true(accepted < 5000, "the send buffer never filled");
  t.is(c.log.writable, 0);
  peer!.resume();
  await c.until(() => c.log.writable > 0, "onWritable");
  t.is(c.connection.publish("big", chunk, 1, false), 1);
  c.connection.destroy();
  await c.closed();
});
