import test from "ava";
import { existsSync, mkdtempSync } from "node:fs";
import * as net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";
import { ConfigService } from "../../../../modules/config/config-service.js";
import { parseSimArgs, UsageError } from "../../../../hosts/sim/args.js";
import { parseClientCommand, UI_MAX_CLIENTS } from "../../../../hosts/sim/dashboard/dashboard-server.js";
import { FileStorage } from "../../../../hosts/sim/file-storage.js";
import { simHardwareId } from "../../../../hosts/sim/sim-platform.js";
import { brokerTest, startMosquitto } from "../../../helpers/mosquitto.js";
import { startSim } from "../../../helpers/sim-process.js";

const CHROMIUM = "/usr/bin/chromium";

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

brokerTest("dashboard WebSocket: garbage is answered and counted, an oversize message closes only that client, clients beyond the bound are refused, and the node goes on", async (t) => {
  t.timeout(120_000);
  const broker = await startMosquitto();
  if (!broker) return;
  const sim = startSim(["--broker", broker.url, "--profile", "climate", "--ui", "0", "--id", "ui-ws", "--state", flashWithRelay()]);
  try {
    const [, url] = await sim.waitFor(/^dashboard: (http:\/\/127\.0\.0\.1:\d+\/)$/m, 20_000);
    const wsUrl = `${url.replace("http", "ws")}ws`;
    const opened = await Promise.all(Array.from({ length: UI_MAX_CLIENTS + 8 }, () => new Promise<{ ws: WebSocket; closed: Promise<number> }>((resolve) => {
      const ws = new WebSocket(wsUrl);
      const closed = new Promise<number>((r) => ws.on("close", (code) => r(code)));
      ws.on("error", () => {});
      ws.on("open", () => resolve({ ws, closed }));
    })));
    const codes = await Promise.race([Promise.all(opened.slice(UI_MAX_CLIENTS).map((c) => c.closed)), new Promise<number[]>((r) => setTimeout(() => r([]), 10_000))]);
    t.deepEqual(codes, Array(8).fill(1013), "clients beyond the bound are closed with 1013");
    const first = opened[0].ws;
    const replies: string[] = [];
    first.on("message", (data) => replies.push(String(data)));
    first.send("\u0000garbage\u001b[2J");
    first.send(Buffer.from([0xff, 0x00]));
    while (replies.filter((r) => r.includes('"t":"error"')).length < 2) await new Promise((r) => setTimeout(r, 50));
    t.true(replies.some((r) => r.includes('"message":"not JSON"')));
    t.true(replies.some((r) => r.includes('"message":"binary message"')));
    opened[1].ws.send("x".repeat(100_000));
    t.is(await opened[1].closed, 1009, "an oversize message closes that client only");
    t.is(first.readyState, WebSocket.OPEN);
    const reply = await sim.command("status");
    t.true(reply.some((l) => /^OK/.test(l)), `the node's console still answers: ${reply.join(" | ")}`);
    for (const { ws } of opened) ws.terminate();
  } finally {
    sim.child.kill("SIGINT");
    await sim.exited;
    await broker.stop();
  }
});

brokerTest("dashboard in headless Chromium: loads without errors, a plot updates, the relay button switches the relay, a console command gets its reply", async (t) => {
  t.timeout(180_000);
  if (!existsSync(CHROMIUM)) {
    process.stderr.write(`\n!!!!!!!! SKIPPED: ${CHROMIUM} not installed (apt-get install -y chromium): the dashboard browser test did not run !!!!!!!!\n\n`);
    t.pass("skipped: no chromium");
    return;
  }
  const broker = await startMosquitto();
  if (!broker) return;
  const { chromium } = await import("playwright-core");
  const sim = startSim(["--broker", broker.url, "--profile", "climate", "--ui", "0", "--id", "ui-1", "--state", flashWithRelay()]);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] });
  try {
    const [, url] = await sim.waitFor(/^dashboard: (http:\/\/127\.0\.0\.1:\d+\/)$/m, 20_000);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("console", (message) => { if (message.type() === "error") errors.push(message.text()); });
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(url);
    await page.waitForSelector('tr.node[data-node="ui-1"]', { timeout: 30_000 });
    await page.waitForSelector('.plot[data-channel="temp"] .uplot', { timeout: 60_000 });
    const points = async () => Number(await page.locator('.plot[data-channel="temp"] .uplot').getAttribute("data-points"));
    const before = await points();
    await page.waitForFunction(`Number(document.querySelector('.plot[data-channel="temp"] .uplot')?.getAttribute("data-points")) > ${before}`, undefined, { timeout: 60_000 });
    t.true((await points()) > before, "the temp plot got new points");

    await page.click('button[data-act="relay-on"]');
    await page.waitForFunction(`/"ok":true,"result":(true|100|1)/.test(document.getElementById("log")?.textContent ?? "")`, undefined, { timeout: 30_000 });
    await sim.waitFor(/INFO act: relay set to on/m, 10_000);
    t.pass("the node switched the relay on");

    await page.fill("#command", "ping");
    await page.press("#command", "Enter");
    await page.waitForFunction(`/"ok":true,"result":\\{"boot"/.test(document.getElementById("log")?.textContent ?? "")`, undefined, { timeout: 30_000 });
    t.deepEqual(errors, [], "no console errors on the page");
  } finally {
    await browser.close();
    sim.child.kill("SIGINT");
    await sim.exited;
    await broker.stop();
  }
});
