import test from "ava";
import { startNode } from "../../modules/node.js";
import type { MqttEvents } from "../../modules/platform.js";
import { decodeTelemetryPack, type DecodedPack } from "../../modules/telemetry/telemetry-pack.js";
import { encodeUtf8 } from "../../modules/util/utf8.js";
import { memoryPlatform } from "../helpers/memory-platform.js";

/** Runs a node for `seconds` of virtual time on a broker that acknowledges everything; returns the tele PUBLISHes. */
async function run(maxPacketBytes: number, batchSize: number, seconds: number) {
  const mp = memoryPlatform();
  const publishes: { topic: string; payload: Uint8Array }[] = [];
  (mp.platform as { mqtt: unknown }).mqtt = {
    connect(_options: unknown, events: MqttEvents) {
      void Promise.resolve().then(() => events.onConnect(false));
      let id = 0;
      return {
        publish(topic: string, payload: Uint8Array) {
          publishes.push({ topic, payload });
          const packetId = ++id;
          void Promise.resolve().then(() => events.onPuback(packetId));
          return packetId;
        },
        subscribe() {},
        disconnect: () => events.onClose({ stage: "closed", message: "disconnected by the client" }),
        destroy: () => events.onClose({ stage: "closed", message: "destroyed" }),
      };
    },
  };
  const node = startNode(mp.platform, { overrides: { "node.id": "sizer", "telemetry.batch_size": String(batchSize), "telemetry.max_interval": "3600" } }, { maxPacketBytes });
  for (let s = 0; s < seconds; s++) {
    mp.advance(1000);
    await new Promise((r) => setImmediate(r));
  }
  await node.stop().catch(() => undefined);
  return publishes.filter((p) => p.topic.endsWith("/tele"));
}

test("packs close early to keep every PUBLISH under maxPacketBytes", async (t) => {
  const tele = await run(200, 100, 60);
  t.true(tele.length >= 4, `${tele.length} packs`);
  for (const { topic, payload } of tele) {
    const packet = 5 + 2 + encodeUtf8(topic).byteLength + 2 + payload.byteLength;
    t.true(packet <= 200, `a ${packet}-byte PUBLISH`);
  }
  const packs = tele.map((p) => decodeTelemetryPack(p.payload) as DecodedPack);
  t.true(packs.every((p) => p.readings.length < 100), "closed by size, not by count");
  t.deepEqual(packs.map((p) => p.seq), packs.map((_, i) => i + 1), "consecutive seqs");
});

test("without a size limit in reach, packs close by count", async (t) => {
  const tele = await run(1024, 4, 10);
  const packs = tele.map((p) => decodeTelemetryPack(p.payload) as DecodedPack);
  t.true(packs.length >= 4);
  t.true(packs.slice(0, -1).every((p) => p.readings.length === 4));
});

test("a maxPacketBytes too small for any pack is refused with a RangeError", (t) => {
  const mp = memoryPlatform();
  t.throws(() => startNode(mp.platform, { overrides: { "node.id": "tiny" } }, { maxPacketBytes: 80 }), { instanceOf: RangeError, message: /maxPacketBytes 80/ });
});
