/**
 * Issue 7 item 5: remote `set` must not write flash without a limit. In
 * virtual time: 2,000 `cmd/set` in 2.3 s take effect at once, but write the
 * config record at most once per SAVE_WINDOW_MS; the last value is on flash
 * at the end of the window; a reboot command writes what waits first.
 */
import test from "ava";
import { ConfigService } from "../../modules/config/config-service.js";
import { SAVE_WINDOW_MS, SaveLimiter } from "../../modules/config/save-limiter.js";
import { FakeTimers } from "../helpers/fake-timers.js";
import { MemoryStorage } from "../helpers/memory-platform.js";
import { bootNode, newTrace } from "../helpers/node-rig.js";

function countedFlash() {
  const storage = new MemoryStorage();
  let configWrites = 0;
  storage.beforeWrite = (key) => {
    if (key.startsWith("cfg.")) configWrites++;
  };
  return { storage, writes: () => configWrites };
}

test("2,000 remote sets in 2.3 s: each answered ok and live at once, at most one config write per window, the last value saved", async (t) => {
  const { storage, writes } = countedFlash();
  const node = bootNode(storage, newTrace());
  await node.run(1000);
  const before = writes();
  for (let i = 0; i < 2000; i++) {
    const resp = await node.command(`s${i}`, { "node.site": `site ${i}` });
    t.true(resp?.ok === true, JSON.stringify(resp));
    if (i % 870 === 869) await node.run(1000);
  }
  t.is(node.node.config.get("node.site").value, "site 1999", "the change is live at once");
  const during = writes() - before;
  t.true(during <= 2 * Math.ceil(2300 / SAVE_WINDOW_MS) + 2, `${during} config chunk writes during the burst`);
  await node.run(SAVE_WINDOW_MS);
  t.is(new ConfigService(storage, "test-node").get("node.site").value, "site 1999", "the last value is on flash after the window");
  t.false(node.node.config.unflushed);
  const status = await node.type("status");
  t.regex(status, /config_saves_coalesced[ =:]+1999\b/);
  t.regex(status, /config_saves[ =:]+[12]\b/);
});

test("a lone remote set is written at once; a reboot command writes what waits in the window before restarting", async (t) => {
  const { storage } = countedFlash();
  const node = bootNode(storage, newTrace());
  await node.run(1000);
  t.like(await node.command("a", { "node.site": "one" }), { ok: true, result: { gen: 1 } });
  t.is(new ConfigService(storage, "test-node").get("node.site").value, "one");
  t.like(await node.command("b", { "node.site": "two" }), { ok: true, result: { gen: 2 } });
  t.is(new ConfigService(storage, "test-node").get("node.site").value, "one", "within the window: not written yet");
  t.like(await node.send("reboot", new Map([["id", "r"]])), { ok: true });
  t.is(new ConfigService(storage, "test-node").get("node.site").value, "one", "answered before the restart");
  await node.run(1000);
  t.is(node.restarts, 1);
  t.is(new ConfigService(storage, "test-node").get("node.site").value, "two", "written before the restart");
  t.like(await node.command("c", { "node.site": "three" }), { ok: true });
  await node.type("reboot");
  await node.run(1000);
  t.is(node.restarts, 2);
  t.is(new ConfigService(storage, "test-node").get("node.site").value, "three", "a console reboot writes it too");
});

test("a deferred write that fails is counted, logged once per try, and retried a window later", async (t) => {
  const storage = new MemoryStorage();
  const trace = newTrace();
  const node = bootNode(storage, trace);
  await node.run(1000);
  await node.command("a", { "node.site": "one" });
  let failing = true;
  storage.beforeWrite = (key) => {
    if (failing && key.startsWith("cfg.")) throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
  };
  await node.command("b", { "node.site": "two" });
  await node.run(SAVE_WINDOW_MS);
  t.true(trace.text.some((l) => l.includes("ERROR config: writing the config to flash failed: the storage is full (ENOSPC)")));
  t.true(node.node.config.unflushed);
  failing = false;
  await node.run(SAVE_WINDOW_MS);
  t.false(node.node.config.unflushed);
  t.is(new ConfigService(storage, "test-node").get("node.site").value, "two");
});

test("SaveLimiter: leading write at once, then one trailing flush per window carrying every request", (t) => {
  const time = new FakeTimers();
  let flushes = 0;
  const limiter = new SaveLimiter(time, time, () => flushes++, 1000);
  t.true(limiter.request());
  t.false(limiter.request());
  t.false(limiter.request());
  t.is(limiter.coalesced, 2);
  time.advance(999);
  t.is(flushes, 0);
  time.advance(1);
  t.is(flushes, 1);
  t.false(limiter.request(), "a window after the trailing flush");
  time.advance(1000);
  t.is(flushes, 2);
  time.advance(5000);
  t.true(limiter.request(), "quiet for a window: at once again");
  t.throws(() => new SaveLimiter(time, time, () => 0, 0), { instanceOf: RangeError });
});
