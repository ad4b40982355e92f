/**
 * Issue 7 item 15 (save and boot parts): a flash that refuses writes is
 * reported plainly, with its own code: `ERR storage …` at the console,
 * `storage` over MQTT, and at boot a `storage` event and a status line.
 */
import test from "ava";
import { decode } from "cbor-x";
import { MemoryStorage } from "../helpers/memory-platform.js";
import { bootNode, newTrace, type Trace } from "../helpers/node-rig.js";

/** A flash that reads but refuses every write, like a read-only state dir. */
function readOnly(): MemoryStorage {
  const storage = new MemoryStorage();
  storage.beforeWrite = () => {
    throw Object.assign(new Error("EROFS: read-only file system, open '/state/x'"), { code: "EROFS" });
  };
  return storage;
}

const events = (trace: Trace) => trace.published.filter((p) => p.topic.endsWith("/evt")).map((p) => decode(p.payload) as { kind: string; detail: string });

test("console save on a read-only flash answers ERR storage with a plain message, not internal", async (t) => {
  const node = bootNode(readOnly(), newTrace());
  await node.run(1000);
  await node.type("set node.site here");
  const out = await node.type("save");
  t.is(out, "ERR storage writing the config to flash failed: the storage is read-only (EROFS)\r\n");
});

test("a remote set on a read-only flash answers code storage and changes nothing", async (t) => {
  const node = bootNode(readOnly(), newTrace());
  await node.run(1000);
  const resp = await node.command("s1", { "log.level": "warn" });
  t.like(resp, { ok: false, code: "storage", error: "writing the config to flash failed: the storage is read-only (EROFS)" });
  t.is(node.node.config.get("log.level").value, "info");
});

test("a read-only flash is reported at boot: a storage event (logged, and published once online) and a status line", async (t) => {
  const trace = newTrace();
  const node = bootNode(readOnly(), trace);
  await node.run(1000);
  t.true(trace.text.some((l) => l.includes("WARN event: storage: flash refuses writes: writing the boot count failed: the storage is read-only (EROFS)")), trace.text.join("\n"));
  t.deepEqual(events(trace).map((e) => e.kind), ["storage"]);
  const status = await node.type("status");
  t.regex(status, /^storage: flash refuses writes: writing the boot count failed: the storage is read-only \(EROFS\)\r$/m);
});

test("a healthy flash says so in status, and raises no storage event", async (t) => {
  const trace = newTrace();
  const node = bootNode(new MemoryStorage(), trace);
  await node.run(1000);
  t.deepEqual(events(trace), []);
  t.regex(await node.type("status"), /^storage: ok\r$/m);
});
