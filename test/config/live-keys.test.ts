/**
 * Issue 7 item 10: every key the schema does not mark `restart` takes effect
 * at `save` (console) and at a remote `set`, without a reboot. One test per
 * live key, from the console and remotely; a table check that no live key
 * lacks one.
 */
import test, { type ExecutionContext } from "ava";
import { decode } from "cbor-x";
import { ConfigService } from "../../modules/config/config-service.js";
import { ACTUATOR_FIELDS, CHANNEL_FIELDS, KEYS } from "../../modules/config/schema.js";
import { MemoryStorage } from "../helpers/memory-platform.js";
import { bootNode, newTrace, type Trace } from "../helpers/node-rig.js";
import { ManualHttp, MemoryOtaSlots } from "../helpers/memory-ota.js";
import { decodeTelemetryPack, type DecodedPack } from "../../modules/telemetry/telemetry-pack.js";
import { signedImage, updateKey } from "../helpers/ota-image.js";

type Via = "console" | "remote";
type Node = ReturnType<typeof bootNode>;

/** Flash with a relay `pump` on pin 4 and remote admin as given. */
function flash(extra: Record<string, string> = {}): MemoryStorage {
  const storage = new MemoryStorage();
  const config = new ConfigService(storage, "test-node");
  config.set("act.pump.type", "relay");
  config.set("act.pump.pin", "4");
  for (const [k, v] of Object.entries(extra)) config.set(k, v);
  config.save();
  return storage;
}

async function online(extra: Record<string, string> = {}) {
  const trace = newTrace();
  const node = bootNode(flash(extra), trace);
  await node.run(1000);
  return { node, trace };
}

/** Changes `key` to `value` from the console (set + save) or remotely (cmd/set); checks it was accepted. */
async function change(t: ExecutionContext, node: Node, via: Via, key: string, value: string | number | boolean, id = `c-${key}-${String(value).replace(/ /g, "_")}`) {
  if (via === "console") {
    const out = await node.type(`set ${key} ${typeof value === "string" && value.includes(" ") ? JSON.stringify(value) : String(value)}`) + await node.type("save");
    t.regex(out, /saved generation \d+\r\nOK\r\n$/, out);
    t.false(out.includes("reboot to apply"), `${key} must not ask for a reboot: ${out}`);
  } else {
    const resp = await node.command(id, { [key]: value });
    t.like(resp, { ok: true, result: { restart: [] } }, JSON.stringify(resp));
  }
}

const logSince = (trace: Trace, from: number) => trace.text.slice(from).join("\n");
const packs = (trace: Trace) => trace.published.filter((p) => p.topic.endsWith("/tele")).map((p) => (decodeTelemetryPack(p.payload) as DecodedPack).readings.length);
const births = (trace: Trace) => trace.published.filter((p) => p.topic.endsWith("/birth")).map((p) => decode(p.payload) as { site: string });

/** A node with OTA slots and a hand-fed HTTP client; `ota(id, image)` sends cmd/ota for it. */
async function otaNode(extra: Record<string, string> = {}) {
  const trace = newTrace();
  const slots = new MemoryOtaSlots(1 << 20, "0.1.0");
  const http = new ManualHttp();
  const node = bootNode(flash(extra), trace, { platform: { ota: slots, http } });
  await node.run(1000);
  const ota = (id: string, img: ReturnType<typeof signedImage>) =>
    node.send("ota", new Map<string, unknown>(Object.entries({ id, url: "http://u/fw", size: img.image.byteLength, sha256: img.sha256, sig: img.sig })));
  const responses = () => trace.published.filter((p) => p.topic.endsWith("/resp")).map((p) => decode(p.payload) as { id: string; ok: boolean; code?: string; error?: string });
  return { node, trace, http, ota, responses };
}
const OTA_KEY = updateKey();

/** ota.* are console-only: a remote set is refused `forbidden`, and the test ends there. */
async function consoleOnly(t: ExecutionContext, via: Via, key: string, value: string | number | boolean): Promise<boolean> {
  if (via === "console") return false;
  const { node } = await online();
  t.like(await node.command("r", { [key]: value }), { ok: false, code: "forbidden" });
  return true;
}

const LIVE_TESTS: Record<string, (t: ExecutionContext, via: Via) => Promise<void>> = {
  async "ota.key"(t, via) {
    if (await consoleOnly(t, via, "ota.key", OTA_KEY.publicHex)) return;
    const { node, ota } = await otaNode();
    const img = signedImage(OTA_KEY.privateKey, "0.2.0", 100);
    t.like(await ota("before", img), { ok: false, code: "not_allowed" });
    await change(t, node, via, "ota.key", OTA_KEY.publicHex);
    t.like(await ota("after", img), { ok: true });
  },
  async "ota.stall_s"(t, via) {
    if (await consoleOnly(t, via, "ota.stall_s", 5)) return;
    const { node, ota, responses } = await otaNode({ "ota.key": OTA_KEY.publicHex });
    await change(t, node, via, "ota.stall_s", 5);
    await ota("s", signedImage(OTA_KEY.privateKey, "0.2.0", 100));
    await node.run(6000);
    t.regex(responses().at(-1)?.error ?? "", /stalled: no data for 5 s/);
  },
  async "ota.allow_downgrade"(t, via) {
    if (await consoleOnly(t, via, "ota.allow_downgrade", true)) return;
    const { node, ota, http, responses } = await otaNode({ "ota.key": OTA_KEY.publicHex });
    const old = signedImage(OTA_KEY.privateKey, "0.0.1", 100);
    await ota("no", old);
    http.send(old.image);
    t.like(responses().at(-1), { id: "no", ok: false, code: "forbidden" });
    await change(t, node, via, "ota.allow_downgrade", "on");
    await ota("yes", old);
    http.send(old.image);
    http.handlers!.onDone();
    await node.run(1000);
    t.like(responses().at(-1), { id: "yes", ok: true });
  },
  async "ota.confirm_s"(t, via) {
    if (await consoleOnly(t, via, "ota.confirm_s", 10)) return;
    const { node, ota, http, trace } = await otaNode({ "ota.key": OTA_KEY.publicHex });
    await change(t, node, via, "ota.confirm_s", 10);
    const img = signedImage(OTA_KEY.privateKey, "0.2.0", 100);
    await ota("c", img);
    http.send(img.image);
    http.handlers!.onDone();
    await node.run(1000);
    t.true(trace.text.some((line) => line.includes("must confirm within 10 s")));
  },
  async "log.level"(t, via) {
    const { node, trace } = await online();
    await change(t, node, via, "log.level", "warn");
    const from = trace.text.length;
    await node.type("act pump on");
    t.false(logSince(trace, from).includes("INFO"), "an INFO line was logged at level warn");
    await change(t, node, via, "log.level", "info", "back");
    const again = trace.text.length;
    await node.type("act pump off");
    t.true(logSince(trace, again).includes("INFO act: pump set to off"));
  },
  async "mqtt.remote_admin"(t, via) {
    const { node } = await online();
    t.like(await node.command("before", { "mqtt.username": "x" }), { ok: false, code: "not_allowed" });
    if (via === "remote") {
      t.like(await node.command("sw", { "mqtt.remote_admin": true }), { ok: false, code: "forbidden" });
      return;
    }
    await change(t, node, via, "mqtt.remote_admin", "on");
    t.like(await node.command("after", { "mqtt.username": "x" }), { ok: true });
  },
  async "node.site"(t, via) {
    const { node, trace } = await online();
    await change(t, node, via, "node.site", "Hall 9");
    t.is(births(trace).at(-1)?.site, "Hall 9", "a new birth carries the new site");
  },
  async "telemetry.batch_size"(t, via) {
    const { node, trace } = await online();
    await change(t, node, via, "telemetry.batch_size", 2);
    const from = packs(trace).length;
    await node.run(6000);
    const after = packs(trace).slice(from + 1);
    t.true(after.length >= 4, `packs after the change: ${after}`);
    t.true(after.every((n) => n === 2), `readings per pack: ${after}`);
  },
  async "telemetry.max_interval"(t, via) {
    const { node, trace } = await online({ "telemetry.batch_size": "100" });
    await change(t, node, via, "telemetry.max_interval", 2);
    await node.run(12_000);
    const from = packs(trace).length;
    await node.run(10_000);
    const after = packs(trace).slice(from);
    t.true(after.length >= 4, `packs in 10 s: ${after}`);
    t.true(after.every((n) => n <= 6), `readings per pack: ${after}`);
  },
  async "act.*.min_on_s"(t, via) {
    const { node } = await online();
    await change(t, node, via, "act.pump.min_on_s", 60);
    t.regex(await node.type("act pump on"), /OK/);
    t.regex(await node.type("act pump off"), /^ERR min-on pump has been on for 0 s; min_on_s is 60/m);
  },
  async "act.*.min_off_s"(t, via) {
    const { node } = await online();
    await change(t, node, via, "act.pump.min_off_s", 60);
    t.regex(await node.type("act pump on"), /^ERR min-off /m);
  },
};

for (const [key, run] of Object.entries(LIVE_TESTS)) {
  test(`${key} takes effect at save from the console, without a reboot`, (t) => run(t, "console"));
  test(`${key} takes effect at a remote set, without a reboot`, (t) => run(t, "remote"));
}

test("every key not marked restart has a live test here, and every live test is of a live key", (t) => {
  const live = [
    ...Object.entries(KEYS).filter(([, s]) => !s.restart).map(([k]) => k),
    ...Object.entries(CHANNEL_FIELDS).filter(([, s]) => !s.restart).map(([f]) => `ch.*.${f}`),
    ...Object.entries(ACTUATOR_FIELDS).filter(([, s]) => !s.restart).map(([f]) => `act.*.${f}`),
  ].sort();
  t.deepEqual(Object.keys(LIVE_TESTS).sort(), live);
});
