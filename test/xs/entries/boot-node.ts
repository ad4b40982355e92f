/**
 * Guest entry: boots the whole firmware (`startNode`) on XS with the test
 * platform and lets the test play time, broker and technician:
 * "boot", "advance" (ms), "accept" (CONNACK), "ack" (packet ids),
 * "take-publishes", "deliver" / "oversize" (an incoming command, retained or
 * not), "deliver-message" (one message, returns the publish count), "console" (one line, returns the reply), "take-logs", "stop",
 * "observe" (counts the readings an observer sees per tap and channel; "taps" returns the counts).
 */
import { startNode, type NodeHandle } from "../../../modules/node.js";
import { STOP_ACK_WAIT_MS } from "../../../modules/telemetry/settle-uplink.js";
import type { XsGuest } from "../../helpers/xs.js";
import { createTestPlatform } from "../platform.js";

declare const xsHarness: XsGuest;

const test = createTestPlatform({
  seed: 7,
  settle: () => xsHarness.settle(),
  onLog: (level, line) => xsHarness.log(`${level}: ${line}`),
});
let node: NodeHandle | undefined;
let taken = 0;

function running(): NodeHandle {
  if (!node) throw new Error("boot first");
  return node;
}

xsHarness.on("boot", () => {
  node = startNode(test.platform);
  const connection = test.mqtt.connections[0];
  return {
    nodeId: node.nodeId,
    bootId: node.bootId,
    connects: test.mqtt.connections.length,
    url: connection?.options.url,
    will: connection?.options.will?.topic,
    console: test.console.take(),
  };
});

const tapCounts: Record<string, number> = {};
xsHarness.on("observe", () => {
  running().observe(({ tap, reading, time }) => {
    const key = `${tap} ${reading.channel}${Number.isFinite(time) ? "" : " bad-time"}`;
    tapCounts[key] = (tapCounts[key] ?? 0) + 1;
  });
});
xsHarness.on("taps", () => tapCounts);

xsHarness.on("advance", async (ms: number) => {
  running();
  const fired = await test.timers.advanceSettled(ms);
  return { fired, now: test.clock.monotonic(), pendingTimers: test.timers.pending };
});

xsHarness.on("accept", () => {
  test.mqtt.accept(false);
  return { subscriptions: test.mqtt.connections[test.mqtt.connections.length - 1].subscriptions };
});

xsHarness.on("ack", (ids: number[]) => {
  for (const id of ids) test.mqtt.ack(id);
});

xsHarness.on("take-publishes", () => {
  const fresh = test.mqtt.publishes.slice(taken);
  taken = test.mqtt.publishes.length;
  return fresh;
});

xsHarness.on("deliver", async ([topic, payload, retain]: [string, number[], boolean]) => {
  test.mqtt.deliver(topic, new Uint8Array(payload), retain);
  await xsHarness.settle();
  return { restarts: test.restarts };
});

xsHarness.on("oversize", async ([topic, bytes, retain]: [string, number, boolean]) => {
  test.mqtt.oversize(topic, bytes, retain);
  await xsHarness.settle();
  return { restarts: test.restarts };
});

xsHarness.on("console", async (line: string) => {
  test.console.inject(`${line}\r\n`);
  await xsHarness.settle();
  return test.console.take();
});

xsHarness.on("deliver-message", async (message: { topic: string; bytes: number[] }) => {
  test.mqtt.deliver(message.topic, new Uint8Array(message.bytes));
  await xsHarness.settle();
  return test.mqtt.publishes.length;
});

xsHarness.on("take-logs", () => test.logs.splice(0).map((entry) => entry.line));

xsHarness.on("stop", async () => {
  // The stop waits (bounded) for the PUBACK of the pack it closes; this test broker acknowledges only on "ack".
  const stopping = running().stop();
  await test.timers.advanceSettled(STOP_ACK_WAIT_MS);
  await stopping;
  return {
    closed: test.mqtt.connections.map((c) => (typeof c.closed === "object" ? c.closed.stage : c.closed ?? "open")),
    errors: test.logs.filter((entry) => entry.level === "error").map((entry) => entry.line),
  };
});
