/**
 * A link that trickles (a byte every 200 ms, from a proxy in front of a real
 * Mosquitto) is not alive: only a whole packet proves the broker is there.
 */
import { once } from "node:events";
import * as net from "node:net";
import { createMqttTransport } from "../../../hosts/node/mqtt-transport.js";
import type { MqttFailure } from "../../../modules/platform.js";
import { brokerTest, startMosquitto } from "../../helpers/mosquitto.js";

/**
 * A TCP proxy to `port`: client → broker at once; broker → client the first
 * `fastBytes` at once (the CONNACK), then one byte every `everyMs`.
 */
async function trickleProxy(port: number, fastBytes: number, everyMs: number) {
  const sockets: net.Socket[] = [];
  const timers: NodeJS.Timeout[] = [];
  const server = net.createServer((client) => {
    const broker = net.connect({ host: "127.0.0.1", port });
    sockets.push(client, broker);
    let queue = Buffer.alloc(0);
    let passed = 0;
    client.on("data", (chunk) => broker.write(chunk));
    broker.on("data", (chunk: Buffer) => {
      const fast = chunk.subarray(0, Math.max(0, fastBytes - passed));
      passed += fast.length;
      if (fast.length > 0) client.write(fast);
      queue = Buffer.concat([queue, chunk.subarray(fast.length)]);
    });
    timers.push(setInterval(() => {
      if (queue.length === 0 || client.destroyed) return;
      client.write(queue.subarray(0, 1));
      queue = queue.subarray(1);
    }, everyMs));
    for (const s of [client, broker]) { s.on("error", () => undefined); s.on("close", () => { client.destroy(); broker.destroy(); }); }
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `mqtt://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    close() { timers.forEach(clearInterval); sockets.forEach((s) => s.destroy()); server.close(); },
  };
}

brokerTest("a link that trickles a byte at a time is declared dead at the keepalive stage", async (t) => {
  const broker = await startMosquitto();
  if (!broker) throw new Error("mosquitto missing");
  t.teardown(() => broker.stop());
  const proxy = await trickleProxy(broker.port, 4, 200);
  t.teardown(() => proxy.close());
  const transport = createMqttTransport();
  let connected = false;
  let sent = false;
  const closed = new Promise<MqttFailure>((resolve) => {
    const node = transport.connect({ url: proxy.url, clientId: "trickled", keepalive: 1, cleanSession: true }, {
      onConnect() {
        connected = true;
        node.subscribe(["trickle/#"], 1);
        // A message of 2 kB that would take 400 s to trickle through: bytes keep coming, no packet completes.
        const publisher = transport.connect({ url: broker.url, clientId: "trickle-pub", keepalive: 30, cleanSession: true }, {
          onConnect() { setTimeout(() => { sent = publisher.publish("trickle/x", new Uint8Array(2048), 0, false) !== false; publisher.disconnect(); }, 300); },
          onMessage() {}, onPuback() {}, onClose() {},
        });
      },
      onMessage() {}, onPuback() {},
      onClose: resolve,
    });
  });
  const timeout = new Promise<MqttFailure>((resolve) => setTimeout(() => resolve({ stage: "closed", message: "still connected after 20 s" }), 20_000).unref());
  const failure = await Promise.race([closed, timeout]);
  t.true(connected);
  t.true(sent);
  t.is(failure.stage, "keepalive", failure.message);
});
