/**
 * Issue 7 item 11: packs leave under the identity they were made with, and
 * an id change clears the old id's retained topics (empty retained payload).
 */
import test from "ava";
import { decode } from "cbor-x";
import { ConfigService } from "../../modules/config/config-service.js";
import { MemoryStorage } from "../helpers/memory-platform.js";
import { bootNode, newTrace, type Trace } from "../helpers/node-rig.js";

function flash(nodeId: string): MemoryStorage {
  const storage = new MemoryStorage();
  const config = new ConfigService(storage, "hw-1");
  config.set("node.id", nodeId);
  config.save();
  return storage;
}

function rename(storage: MemoryStorage, nodeId: string): void {
  const config = new ConfigService(storage, "hw-1");
  config.set("node.id", nodeId);
  config.save();
}

const baseName = (payload: Uint8Array) => (decode(payload) as Record<number, unknown>[])[0][-2];
const tele = (trace: Trace) => trace.published.filter((p) => p.topic.endsWith("/tele")).map((p) => ({ topic: p.topic, bn: baseName(p.payload) }));

test("packs made under the old node id leave on the old id's topic after a rename", async (t) => {
  const storage = flash("old-id");
  const offline = bootNode(storage, newTrace(), { accept: () => false });
  await offline.run(30_000);
  await offline.stop();
  rename(storage, "new-id");
  const trace = newTrace();
  const online = bootNode(storage, trace);
  await online.run(30_000);
  const sent = tele(trace);
  t.true(sent.some((p) => p.bn === "old-id:"), "the old packs were replayed");
  t.true(sent.some((p) => p.bn === "new-id:"), "new packs flow");
  for (const p of sent) t.is(p.topic, `fieldnode/${String(p.bn).slice(0, -1)}/tele`, `pack of ${p.bn} on ${p.topic}`);
});

test("after factory-reset the old id's packs still leave on the old id's topic", async (t) => {
  const storage = flash("pump-7");
  const offline = bootNode(storage, newTrace(), { accept: () => false });
  await offline.run(30_000);
  t.regex(await offline.type("factory-reset"), /confirm/i);
  await offline.type("factory-reset yes");
  await offline.stop();
  const trace = newTrace();
  const online = bootNode(storage, trace);
  t.is(online.node.nodeId, "test-node");
  await online.run(30_000);
  const sent = tele(trace);
  t.true(sent.some((p) => p.bn === "pump-7:"));
  for (const p of sent) t.is(p.topic, `fieldnode/${String(p.bn).slice(0, -1)}/tele`);
});

test("a node.id change clears the old id's retained state and birth (empty retained payload), once", async (t) => {
  const storage = flash("old-id");
  const first = bootNode(storage, newTrace());
  await first.run(3000);
  await first.stop();
  rename(storage, "new-id");
  const trace = newTrace();
  const second = bootNode(storage, trace);
  await second.run(3000);
  const cleared = trace.published.filter((p) => p.topic.startsWith("fieldnode/old-id/") && !p.topic.endsWith("/tele"));
  t.deepEqual(cleared.map((p) => [p.topic, p.payload.byteLength, p.retain]).sort(), [["fieldnode/old-id/birth", 0, true], ["fieldnode/old-id/state", 0, true]]);
  t.true(trace.published.some((p) => p.topic === "fieldnode/new-id/birth" && p.retain && p.payload.byteLength > 0));
  await second.stop();
  const again = newTrace();
  const third = bootNode(storage, again);
  await third.run(3000);
  t.false(again.published.some((p) => p.topic.startsWith("fieldnode/old-id/") && p.retain), "not cleared again on the next boot");
});

test("packNodeId reads the base name of a pack, and refuses ids that are not topic-safe", async (t) => {
  const { packNodeId } = await import("../../modules/mqtt/pack-topic.js");
  const { encodePack } = await import("../helpers/reading-rows.js");
  const pack = (nodeId: string) => encodePack({ nodeId, bootId: "0badf00d", seq: 1 }, [{ channel: "temp", unit: "Cel", value: 21.5, at: 1000 } as never]);
  t.is(packNodeId(pack("pump-7")), "pump-7");
  t.is(packNodeId(pack("a".repeat(40))), "a".repeat(40));
  t.is(packNodeId(pack("x/#")), undefined);
  t.is(packNodeId(new Uint8Array([1, 2, 3])), undefined);
});
