/**
 * Guest entry for the memory table of `npm run bench`: boots the whole
 * firmware (`startNode`) on XS and runs it in virtual time, playing a broker
 * that acknowledges every pack, or one that is away (every connect refused,
 * so the outbox fills). The harness forgets what it recorded (publishes,
 * closed connections) so that what stays in memory is the firmware's.
 * Commands: "boot", "run" (ms), "broker-away", "broker-back", "outbox",
 * "flash", "flash-copy" (hold a copy of the simulated flash, so its cost in
 * slots can be measured and subtracted), "counter" (name), "power-cut"
 * (the node and its platform dropped without a stop, a new one booted on the
 * same flash: a reboot that restores a full outbox). "boot" takes the
 * storage's capacity hint, or `{ capacityBytes, compress: true }` for the
 * compact-pack node of test/helpers/compress-node.ts (`channels`, default 8,
 * each compress(5 %), batch_size 1000, max_interval 600 s), with
 * `overrides` on top of its config.
 */
import { startNode, type NodeHandle } from "../../../modules/node.js";
import type { XsGuest } from "../../helpers/xs.js";
import { MemoryStorage } from "../../helpers/memory-storage.js";
import { createTestPlatform } from "../platform.js";
import { compressNodeOverrides, driveCompressSignals } from "../../helpers/compress-node.js";

declare const xsHarness: XsGuest;

let test = createTestPlatform({ seed: 7, settle: () => xsHarness.settle() });
let away = false;
let node: NodeHandle | undefined;
let compress = false;
let extra: Record<string, string> = {};
let channels: number | undefined;

/** The node on the test platform: the default config, or the compact-pack one with its seeded signals. */
function start(): NodeHandle {
  if (!compress) return startNode(test.platform);
  driveCompressSignals(test.board!.pins, () => test.clock.monotonic(), 7);
  return startNode(test.platform, { overrides: { ...compressNodeOverrides(channels), ...extra } });
}

/** Boots the node; `capacityBytes`, when given, is the storage's capacity hint (the ESP32's NVS). */
xsHarness.on("boot", (options?: number | { capacityBytes?: number; compress?: boolean; channels?: number; overrides?: Record<string, string> }) => {
  const capacityBytes = typeof options === "number" ? options : options?.capacityBytes;
  compress = typeof options === "object" && options.compress === true;
  extra = (typeof options === "object" && options.overrides) || {};
  channels = typeof options === "object" ? options.channels : undefined;
  if (typeof capacityBytes === "number") (test.storage as { capacityBytes?: number }).capacityBytes = capacityBytes;
  node = start();
  test.mqtt.accept(false);
  (test.mqtt.connections[test.mqtt.connections.length - 1] as { accepted?: boolean }).accepted = true;
  return { nodeId: node.nodeId };
});

/** Power cut and reboot: a fresh platform (the old one and its node become garbage) on the same flash, then boot. */
xsHarness.on("power-cut", () => {
  const old = test.storage;
  test = createTestPlatform({ seed: 7, settle: () => xsHarness.settle() });
  for (const [key, value] of old.map) test.storage.map.set(key, value);
  test.storage.capacityBytes = old.capacityBytes;
  node = start();
  if (!away) {
    test.mqtt.accept(false);
    (test.mqtt.connections[test.mqtt.connections.length - 1] as { accepted?: boolean }).accepted = true;
  }
  return { nodeId: node.nodeId };
});

/** Advances `ms` of virtual time in 1 s steps, playing the broker after each step. */
xsHarness.on("run", async (ms: number) => {
  let published = 0;
  for (let done = 0; done < ms; done += 1000) {
    await test.timers.advanceSettled(Math.min(1000, ms - done));
    const latest = test.mqtt.connections[test.mqtt.connections.length - 1];
    if (away && latest && !latest.closed) test.mqtt.fail({ stage: "tcp", message: "connection refused" });
    else if (!away && latest && !latest.closed && !(latest as { accepted?: boolean }).accepted) {
      (latest as { accepted?: boolean }).accepted = true;
      test.mqtt.accept(false);
    }
    for (const publish of test.mqtt.publishes) {
      published++;
      if (!away && publish.qos === 1 && !latest?.closed) test.mqtt.ack(publish.packetId);
    }
    test.mqtt.publishes.length = 0;
    test.mqtt.connections.splice(0, test.mqtt.connections.length - 1);
    test.logs.length = 0;
  }
  return { published, now: test.clock.monotonic() };
});

/** From now on the connection drops and every reconnect is refused. */
xsHarness.on("broker-away", () => {
  away = true;
  test.mqtt.fail({ stage: "tcp", message: "connection reset" });
});

/** The broker is back: the next connection is accepted and packs acknowledged. */
xsHarness.on("broker-back", () => {
  away = false;
});

/** A counter of the node (e.g. "samples"). */
xsHarness.on("counter", (name: string) => node?.counters.get(name) ?? 0);

/** The outbox line of the console's `status` (depth, segments, dropped). */
xsHarness.on("outbox", async () => {
  test.console.inject("status\r\n");
  await xsHarness.settle();
  const line = test.console.take().split("\r\n").find((l) => /^\s*outbox\b/.test(l)) ?? "";
  return line.replace(/^\s*outbox\s*:?\s*/, "");
});

/** What the simulated flash holds (in the guest's RAM here; on the board it is flash). */
xsHarness.on("flash", () => {
  let bytes = 0;
  const keys = test.storage.keys();
  for (const key of keys) bytes += test.storage.read(key)?.byteLength ?? 0;
  return { keys: keys.length, bytes, outboxSegments: keys.filter((key) => key.startsWith("ob.")).length };
});

/** A copy of the simulated flash held aside (so that its cost in slots can be measured and subtracted: on the board it is flash, not RAM). */
let flashCopy: MemoryStorage | undefined;
xsHarness.on("flash-copy", (hold: boolean) => {
  flashCopy = undefined;
  if (!hold) return;
  flashCopy = new MemoryStorage();
  for (const [key, value] of test.storage.map) flashCopy.map.set(key, value.slice());
});
