import test from "ava";
import { mkdtempSync } from "node:fs";
import * as net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";
import { ConfigService } from "../../../../modules/config/config-service.js";
import { parseSimArgs, UsageError } from "../../../../hosts/sim/args.js";
import { parseClientCommand, UI_MAX_CLIENTS } from "../../../../hosts/sim/dashboard/dashboard-server.js";
import { FileStorage } from "../../../../hosts/sim/file-storage.js";
import { simHardwareId } from "../../../../hosts/sim/sim-platform.js";
import { createMqttTransport } from "../../../../hosts/node/mqtt-transport.js";
import { decodeTelemetryPack, type DecodedPack } from "../../../../modules/telemetry/telemetry-pack.js";
import { brokerTest, startMosquitto } from "../../../helpers/mosquitto.js";
import { startSim } from "../../../helpers/sim-process.js";


const garbage: [text: string, reason: RegExp][] = [
  ["", /not JSON/],
  ["{", /not JSON/],
  ["[1,2]", /not a JSON object/],
  ["null", /not a JSON object/],
  [JSON.stringify({ node: "Pump 7", verb: "ping" }), /node: not a node id: "Pump 7"/],
  [JSON.stringify({ node: "p7", verb: "../x" }), /verb: not a command verb/],
  [JSON.stringify({ node: "p7", verb: "act", args: [] }), /args: not an object/],
  [JSON.stringify({ node: "p7", verb: "act", args: { id: "x" } }), /args: bad key "id"/],
  [JSON.stringify({ node: "p7", verb: "act", args: { name: { deep: 1 } } }), /args.name: not text, number or boolean/],
  [JSON.stringify({ node: "p7", console: 42 }), /console: not text/],
  [JSON.stringify({ node: "p7", console: "status\nreboot" }), /console: control characters/],
  [JSON.stringify({ node: "p7", console: "\u001b[2J" }), /console: control characters/],
  [JSON.stringify({ node: "p7", console: "   " }), /console: empty line/],
  [JSON.stringify({ node: "p7", console: "x".repeat(1025) }), /console: a line of 1025 characters; at most 1024/],
  [JSON.stringify({ console: "status" }), /node: not a node id/],
];
for (const [text, reason] of garbage) {
  test(`dashboard client message ${JSON.stringify(text).slice(0, 60)} is refused: ${reason}`, (t) => {
    const parsed = parseClientCommand(text);
    t.is(typeof parsed, "string");
    t.regex(parsed as string, reason);
  });
}

test("a dashboard command: node, verb and args", (t) => {
  t.deepEqual(parseClientCommand(JSON.stringify({ node: "p7", verb: "act", args: { name: "relay", value: true } })), { node: "p7", verb: "act", args: { name: "relay", value: true } });
  t.deepEqual(parseClientCommand(JSON.stringify({ node: "p7", verb: "ping" })), { node: "p7", verb: "ping", args: {} });
  t.deepEqual(parseClientCommand(JSON.stringify({ node: "p7", console: "sim fault adc nack for 30" })), { node: "p7", console: "sim fault adc nack for 30" });
});

test("--ui: bare means a free port, a port, or a usage error", (t) => {
  t.is(parseSimArgs(["--ui"]).ui, 0);
  t.is(parseSimArgs(["--ui", "--id", "x"]).ui, 0);
  t.is(parseSimArgs(["--ui", "8080"]).ui, 8080);
  t.is(parseSimArgs([]).ui, undefined);
  t.throws(() => parseSimArgs(["--ui", "http"]), { instanceOf: UsageError, message: /--ui must be a TCP port 0\.\.65535, got "http"/ });
  t.throws(() => parseSimArgs(["--ui", "70000"]), { instanceOf: UsageError });
});

test("--ui on a port in use: a clear message and exit 2 before anything starts", async (t) => {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  try {
    const sim = startSim(["--ui", String(port), "--id", "ui-busy", "--state", mkdtempSync(join(tmpdir(), "fieldnode-ui-"))]);
    t.is(await sim.exited, 2);
    t.regex(sim.stderr, new RegExp(`--ui ${port}: port in use; give another port, or 0 for a free one`));
    t.notRegex(sim.output, /embedded broker|INFO/);
  } finally {
    server.close();
  }
});

/** A flash with a relay on GPIO 5, as `set act.relay.type relay`, `set act.relay.pin 5`, `save` leave it. */
function flashWithRelay(): string {
  const dir = mkdtempSync(join(tmpdir(), "fieldnode-ui-"));
  const config = new ConfigService(new FileStorage(dir), simHardwareId());
  config.set("act.relay.type", "relay");
  config.set("act.relay.pin", "5");
  config.save();
  return dir;
}

/** Subscribes to `topic` on `url` and collects the telemetry packs (decoded) that arrive. */
function watchTelemetry(url: string, topic: string) {
  const packs: DecodedPack[] = [];
  const connection = createMqttTransport().connect({ url, clientId: `watch-${process.pid}`, keepalive: 30, cleanSession: true }, {
    onConnect: () => connection.subscribe([topic], 0),
    onMessage: (_topic, payload) => {
      const pack = decodeTelemetryPack(payload);
      if (typeof pack !== "string") packs.push(pack);
    },
    onPuback() {},
    onClose() {},
  });
  return { packs, close: () => connection.disconnect() };
}

/** The `counters:` line of a `status` reply as numbers. */
function counters(reply: string[]): Record<string, number> {
  const line = reply.find((l) => l.startsWith("counters:")) ?? "";
  return Object.fromEntries([...line.matchAll(/(\w+)=(\d+)/g)].map((m) => [m[1], Number(m[2])]));
}

const GARBAGE = ["\u0000garbage\u001b[2J", "{", "[]", JSON.stringify({ node: "ui-ws", console: "status\nreboot" }), JSON.stringify({ node: "other", console: "reboot" }), JSON.stringify({ node: "ui-ws", verb: "act", args: { name: { deep: 1 } } })];

brokerTest("dashboard WebSocket: garbage is answered and changes nothing, an oversize message closes only that client, a thousand clients at once are refused beyond the bound, and the node's samples keep flowing", async (t) => {
  t.timeout(180_000);
  const broker = await startMosquitto();
  if (!broker) return;
  const sim = startSim(["--broker", broker.url, "--profile", "climate", "--ui", "0", "--id", "ui-ws", "--state", flashWithRelay()]);
  const tele = watchTelemetry(broker.url, "fieldnode/ui-ws/tele");
  const clients: WebSocket[] = [];
  try {
    const [, url] = await sim.waitFor(/^dashboard: (http:\/\/127\.0\.0\.1:\d+\/)$/m, 20_000);
    const wsUrl = `${url.replace("http", "ws")}ws`;
    // One client that stays: it gets the garbage answers.
    const first = new WebSocket(wsUrl);
    clients.push(first);
    const replies: string[] = [];
    first.on("message", (data) => replies.push(String(data)));
    await new Promise((resolve) => first.on("open", resolve));
    while (tele.packs.length < 1) await new Promise((r) => setTimeout(r, 100));
    const before = counters(await sim.command("status"));
    const packsBefore = tele.packs.length;

    // A thousand connect at once, each sending garbage as soon as it is in.
    const outcomes = await Promise.all(Array.from({ length: 1000 }, () => new Promise<string>((resolve) => {
      const ws = new WebSocket(wsUrl);
      clients.push(ws);
      ws.on("error", () => resolve("error"));
      ws.on("close", (code) => resolve(`closed ${code}`));
      ws.on("open", () => {
        for (const text of GARBAGE) ws.send(text);
        ws.send(Buffer.from([0xff, 0x00]));
      });
      ws.on("message", (data) => {
        if (String(data).includes('"t":"error"')) resolve("answered");
      });
    })));
    const count = (what: string) => outcomes.filter((o) => o === what).length;
    t.log(`a thousand at once: ${count("closed 1013")} closed with 1013, ${count("answered")} in and answered, ${count("error")} errors`);
    t.is(count("closed 1013") + count("answered"), 1000, "every one is either refused with 1013 or in and answered");
    t.true(count("answered") <= UI_MAX_CLIENTS - 1);

    for (const text of GARBAGE) first.send(text);
    first.send(Buffer.from([0xff, 0x00]));
    while (replies.filter((r) => r.includes('"t":"error"')).length < GARBAGE.length + 1) await new Promise((r) => setTimeout(r, 50));
    t.true(replies.some((r) => r.includes('"message":"not JSON"')));
    t.true(replies.some((r) => r.includes('"message":"binary message"')));
    t.true(replies.some((r) => r.includes("console: control characters")));
    t.true(replies.some((r) => r.includes("node other has no console here")));
    // The flood's clients leave; then one sends an oversize message.
    for (const ws of clients.slice(1)) ws.terminate();
    let code = 1013;
    while (code === 1013) {
      const big = new WebSocket(wsUrl);
      clients.push(big);
      const closed = new Promise<number>((r) => big.on("close", (c) => r(c)));
      big.on("error", () => {});
      big.on("message", (data) => {
        if (String(data).includes('"t":"snapshot"')) big.send("x".repeat(100_000));
      });
      code = await closed;
      if (code === 1013) await new Promise((r) => setTimeout(r, 200));
    }
    t.is(code, 1009, "an oversize message closes that client only");

    // A page of another origin (any site open in the technician's browser) may not reach the console.
    const foreign = await new Promise<number>((resolve) => {
      const ws = new WebSocket(wsUrl, { origin: "http://evil.example" });
      clients.push(ws);
      ws.on("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
      ws.on("open", () => resolve(101));
      ws.on("error", () => {});
    });
    t.is(foreign, 401, "another origin is refused at the handshake");
    const own = new WebSocket(wsUrl, { origin: url.replace(/\/$/, "") });
    clients.push(own);
    await new Promise((resolve) => own.on("open", resolve));
    t.pass("the dashboard's own origin is let in");
    t.is(first.readyState, WebSocket.OPEN);

    // The node went on: it sampled, its packs kept coming in sequence, and the garbage ran nothing (no reboot, no relay).
    const packsAtEnd = tele.packs.length;
    while (tele.packs.length < packsAtEnd + 2) await new Promise((r) => setTimeout(r, 100));
    const after = counters(await sim.command("status"));
    t.log(`samples ${before.samples} -> ${after.samples}, samples_skipped ${before.samples_skipped ?? 0} -> ${after.samples_skipped ?? 0}`);
    t.true(after.samples > before.samples, "the node kept sampling");
    t.true(tele.packs.length > packsBefore + 1);
    const seqs = tele.packs.map((p) => p.seq);
    t.deepEqual(seqs, seqs.map((_, i) => seqs[0] + i), "no pack lost, one boot");
    t.is(new Set(tele.packs.map((p) => p.bootId)).size, 1);
    t.notRegex(sim.output, /relay set to|rebooting/);
  } finally {
    for (const ws of clients) ws.terminate();
    tele.close();
    sim.child.kill("SIGINT");
    await sim.exited;
    await broker.stop();
  }
});
