import test from "ava";
import { decode } from "cbor-x";
import { FALLBACK_AFTER_BOOTS, FALLBACK_AFTER_MS } from "../../modules/config/broker-fallback.js";
import { ConfigService } from "../../modules/config/config-service.js";
import { MemoryStorage } from "../helpers/memory-platform.js";
import { bootNode, newTrace, type Trace } from "../helpers/node-rig.js";

const GOOD = { url: "mqtt://broker.plant:1883", password: "GOOD-pw-4711" };
const BAD_PASSWORD = "BAD-pw-0815";
const OTHER_URL = "mqtt://broker2.plant:1883";
const SECRETS = [GOOD.password, BAD_PASSWORD];

/** Flash as the technician left it: the good broker, and the remote-admin switch as given. */
function flash(remoteAdmin: boolean): MemoryStorage {
  const storage = new MemoryStorage();
  const config = new ConfigService(storage, "test-node");
  config.set("mqtt.url", GOOD.url);
  config.set("mqtt.password", GOOD.password);
  config.set("mqtt.remote_admin", String(remoteAdmin));
  config.save();
  return storage;
}

const boot = (storage: MemoryStorage, trace: Trace) =>
  bootNode(storage, trace, { accept: (options) => (options.url === GOOD.url || options.url === OTHER_URL) && options.password === GOOD.password });

const events = (trace: Trace) => trace.published.filter((p) => p.topic.endsWith("/evt")).map((p) => decode(p.payload) as { kind: string; detail: string });
const saved = (storage: MemoryStorage) => new ConfigService(storage, "test-node").resolved().mqtt;

/** No secret in anything the node published (any topic), logged or printed. */
function assertNoSecret(t: import("ava").ExecutionContext, trace: Trace): void {
  const everything = [...trace.published.map((p) => `${p.topic} ${new TextDecoder().decode(p.payload)} ${JSON.stringify(decodeOrNull(p.payload))}`), ...trace.text].join("\n");
  for (const secret of SECRETS) t.false(everything.includes(secret), `${secret} leaked`);
}

function decodeOrNull(payload: Uint8Array): unknown {
  try {
    return decode(payload);
  } catch {
    return null;
  }
}

test("by default cmd/set of a broker key is refused with not_allowed, naming the key and the console switch; nothing changes", async (t) => {
  const storage = flash(false);
  const trace = newTrace();
  const node = boot(storage, trace);
  await node.run(1000);
  const generation = new ConfigService(storage, "test-node").generation;
  const response = await node.command("a1", { "node.site": "Hall 3", "mqtt.password": BAD_PASSWORD });
  t.deepEqual(response, { id: "a1", ok: false, code: "not_allowed", error: "mqtt.password: mqtt.password is a broker/credential key: the technician must enable mqtt.remote_admin at the serial console first" });
  t.is(new ConfigService(storage, "test-node").generation, generation);
  t.is(new ConfigService(storage, "test-node").get("node.site").value, "");
  t.false(storage.keys().some((k) => k.startsWith("cfr.")), "no fallback armed");
  t.deepEqual(await node.command("a2", { "mqtt.remote_admin": true }), { id: "a2", ok: false, code: "forbidden", error: "mqtt.remote_admin: mqtt.remote_admin is not remotely settable" });
  await node.stop();
  assertNoSecret(t, trace);
});

test("the technician's switch at the console takes effect at once; the switch itself stays out of remote reach", async (t) => {
  const storage = flash(false);
  const trace = newTrace();
  const node = boot(storage, trace);
  await node.run(1000);
  node.rig.port.type("set mqtt.remote_admin on\r\nsave\r\n");
  t.regex(node.rig.port.take(), /OK\r\n[^]*OK\r\n/);
  const response = await node.command("b1", { "mqtt.url": OTHER_URL, "mqtt.password": BAD_PASSWORD });
  t.deepEqual(response, { id: "b1", ok: true, result: { gen: 3, applied: ["mqtt.url", "mqtt.password"], restart: ["mqtt.url", "mqtt.password"] } });
  t.is(saved(storage).url, OTHER_URL);
  t.deepEqual(await node.command("b2", { "mqtt.remote_admin": false }), { id: "b2", ok: false, code: "forbidden", error: "mqtt.remote_admin: mqtt.remote_admin is not remotely settable" });
  t.true(new ConfigService(storage, "test-node").get("mqtt.remote_admin").value);
  node.rig.port.type("status\r\n");
  await node.stop();
  assertNoSecret(t, trace);
});

test(`new broker settings that never reach CONNACK are reverted after ${FALLBACK_AFTER_MS / 1000} s, and config_reverted is reported once`, async (t) => {
  const storage = flash(true);
  const trace = newTrace();
  const first = boot(storage, trace);
  await first.run(1000);
  t.true((await first.command("c1", { "mqtt.password": BAD_PASSWORD }))?.ok);
  await first.stop();

  const trial = boot(storage, trace);
  await trial.run(FALLBACK_AFTER_MS - 1000);
  t.is(trial.restarts, 0, "still trying");
  t.is(trace.connects.at(-1)!.password, BAD_PASSWORD);
  trial.rig.port.type("status\r\n");
  t.regex(trial.rig.port.take(), /fallback: trying mqtt.password: boot 1 of 3, reverts after 300 s without a connection/);
  await trial.run(1000);
  t.is(trial.restarts, 1, "restarted on the previous settings");
  t.is(saved(storage).password, GOOD.password);
  await trial.stop();
  t.is(events(trace).length, 0, "nothing reported while the broker was out of reach");

  const back = boot(storage, trace);
  await back.run(1000);
  t.deepEqual(events(trace).map((e) => [e.kind, e.detail]), [["config_reverted", `remote change of mqtt.password reverted: no CONNACK within ${FALLBACK_AFTER_MS / 1000} s; back on the previous broker settings`]]);
  await back.run(FALLBACK_AFTER_MS);
  t.is(back.restarts, 0);
  await back.stop();

  const again = boot(storage, trace);
  await again.run(1000);
  t.is(events(trace).length, 1, "reported once");
  await again.stop();
  assertNoSecret(t, trace);
});

test("new broker settings that connect are kept: no revert after the deadline", async (t) => {
  const storage = flash(true);
  const trace = newTrace();
  const first = boot(storage, trace);
  await first.run(1000);
  t.true((await first.command("d1", { "mqtt.url": OTHER_URL }))?.ok);
  await first.stop();
  const next = boot(storage, trace);
  await next.run(FALLBACK_AFTER_MS + 60_000);
  t.is(next.restarts, 0);
  t.is(trace.connects.at(-1)!.url, OTHER_URL);
  t.is(saved(storage).url, OTHER_URL);
  t.false(storage.keys().some((k) => k.startsWith("cfr.")), "record dropped");
  t.deepEqual(events(trace), []);
  await next.stop();
});

test(`a node that keeps restarting before the deadline reverts at boot ${FALLBACK_AFTER_BOOTS + 1}, before its first connect`, async (t) => {
  const storage = flash(true);
  const trace = newTrace();
  const first = boot(storage, trace);
  await first.run(1000);
  t.true((await first.command("e1", { "mqtt.url": "mqtt://nowhere:1883" }))?.ok);
  await first.stop();
  for (let i = 0; i < FALLBACK_AFTER_BOOTS; i++) {
    const short = boot(storage, trace);
    await short.run(60_000);
    await short.stop();
  }
  t.is(saved(storage).url, "mqtt://nowhere:1883");
  const count = trace.connects.length;
  const last = boot(storage, trace);
  await last.run(1000);
  t.is(trace.connects[count].url, GOOD.url, "the very first attempt uses the previous broker");
  t.deepEqual(events(trace).map((e) => e.kind), ["config_reverted"]);
  t.regex(events(trace)[0].detail, new RegExp(`no CONNACK in ${FALLBACK_AFTER_BOOTS} boots`));
  t.is(last.restarts, 0);
  await last.stop();
});

test("a technician's console save of a broker key during the trial drops the fallback", async (t) => {
  const storage = flash(true);
  const trace = newTrace();
  const first = boot(storage, trace);
  await first.run(1000);
  t.true((await first.command("f1", { "mqtt.password": BAD_PASSWORD }))?.ok);
  await first.stop();
  const trial = boot(storage, trace);
  await trial.run(10_000);
  trial.rig.port.type(`set mqtt.password ${GOOD.password}\r\nsave\r\n`);
  await trial.run(FALLBACK_AFTER_MS);
  t.is(trial.restarts, 0);
  t.is(saved(storage).password, GOOD.password);
  t.false(storage.keys().some((k) => k.startsWith("cfr.")));
  await trial.stop();
  assertNoSecret(t, trace);
});
