import test from "ava";
import { ConfigService } from "../../modules/config/config-service.js";
import { ADMIN_KEYS, FallbackRecord } from "../../modules/config/fallback-record.js";
import { KEYS, REMOTE_ADMIN } from "../../modules/config/schema.js";
import { MemoryStorage } from "../helpers/memory-platform.js";

const SECRET = "PW-n0t-to-be-seen";

/** A saved config as a technician left it; `remoteAdmin` is the console switch. */
function service(remoteAdmin: boolean) {
  const storage = new MemoryStorage();
  const config = new ConfigService(storage, "hw-1");
  config.set("mqtt.url", "mqtt://broker.plant:1883");
  config.set("mqtt.password", "old-password");
  if (remoteAdmin) config.set(REMOTE_ADMIN, "on");
  config.save();
  return { storage, config: new ConfigService(storage, "hw-1") };
}

const notAllowed = (key: string) => ({ key, code: "not-allowed", message: `${key} is a broker/credential key: the technician must enable mqtt.remote_admin at the serial console first` });

test("the broker and credential keys are exactly the documented ten (the client certificate and key since issue 11), and the switch is console-only and live", (t) => {
  t.deepEqual([...ADMIN_KEYS].sort(), ["mqtt.client_id", "mqtt.password", "mqtt.tls_ca", "mqtt.tls_cert", "mqtt.tls_fingerprint", "mqtt.tls_key", "mqtt.url", "mqtt.username", "wifi.password", "wifi.ssid"]);
  for (const key of ADMIN_KEYS) t.falsy(KEYS[key].remote, `${key} is not plainly remote`);
  const spec = KEYS[REMOTE_ADMIN];
  t.is(spec.type, "bool");
  t.is(spec.default, false);
  t.falsy(spec.remote);
  t.falsy(spec.admin);
  t.falsy(spec.restart);
  t.regex(spec.help, /another broker/);
});

test("by default a broker key is refused with not_allowed naming it, all or nothing, and nothing is saved or armed", (t) => {
  const { storage, config } = service(false);
  const generation = config.generation;
  const before = storage.keys().join();
  const result = config.applyRemote({ "node.site": "Hall 3", "mqtt.url": "mqtt://evil:1883", "mqtt.password": SECRET });
  t.deepEqual(result, { ok: false, errors: [notAllowed("mqtt.url"), notAllowed("mqtt.password")] });
  t.is(config.generation, generation);
  t.is(config.get("node.site").value, "");
  t.is(config.get("mqtt.url").value, "mqtt://broker.plant:1883");
  t.is(storage.keys().join(), before, "no record written");
  t.is(config.fallback.value, undefined);
  t.false(JSON.stringify(result).includes(SECRET));
});

test("the switch itself can never be set remotely, on or off", (t) => {
  for (const on of [false, true]) {
    const { config } = service(on);
    const result = config.applyRemote({ [REMOTE_ADMIN]: !on });
    t.deepEqual(result, { ok: false, errors: [{ key: REMOTE_ADMIN, code: "forbidden", message: "mqtt.remote_admin is not remotely settable" }] });
    t.is(new ConfigService(new MemoryStorage(), "x").get(REMOTE_ADMIN).value, false);
    t.is(config.get(REMOTE_ADMIN).value, on);
  }
});

test("keys that are neither remote nor broker keys stay forbidden with the switch on", (t) => {
  const { config } = service(true);
  const result = config.applyRemote({ "mqtt.prefix": "other", "node.id": "n2" });
  t.false(result.ok);
  if (!result.ok) t.deepEqual(result.errors.map((e) => e.code), ["forbidden", "forbidden"]);
});

test("with the switch on, broker keys are validated, saved at once, flagged for restart, and the fallback is armed with the running settings", (t) => {
  const { storage, config } = service(true);
  const generation = config.generation!;
  const bad = config.applyRemote({ "mqtt.url": "http://x", "mqtt.password": "p".repeat(129) });
  t.false(bad.ok);
  if (!bad.ok) t.deepEqual(bad.errors.map((e) => e.message), ["mqtt.url must be mqtt://host:port or mqtts://host:port, got \"http://x\"", "mqtt.password must be at most 128 bytes, got 129"]);
  t.is(config.fallback.value, undefined, "a refused change arms nothing");

  const result = config.applyRemote(new Map<string, unknown>([["mqtt.url", "mqtt://new.plant:1883"], ["mqtt.password", SECRET], ["node.site", "Hall 3"]]));
  t.deepEqual(result, { ok: true, generation: generation + 1, applied: ["mqtt.url", "mqtt.password", "node.site"], restartNeeded: ["mqtt.url", "mqtt.password"] });
  const reloaded = new ConfigService(storage, "hw-1");
  t.is(reloaded.resolved().mqtt.url, "mqtt://new.plant:1883");
  t.is(reloaded.resolved().mqtt.password, SECRET);
  const armed = reloaded.fallback.value!;
  t.is(armed.state, "trial");
  t.is(armed.boots, 0);
  t.deepEqual(armed.keys, ["mqtt.url", "mqtt.password"]);
  t.is(armed.previous.get("mqtt.url"), "mqtt://broker.plant:1883");
  t.is(armed.previous.get("mqtt.password"), "old-password");
  t.is(armed.previous.size, ADMIN_KEYS.length);

  // A second change before any boot keeps the settings known to work.
  t.true(reloaded.applyRemote({ "mqtt.username": "u2", "mqtt.url": "mqtt://third:1883" }).ok);
  t.is(reloaded.fallback.value!.previous.get("mqtt.url"), "mqtt://broker.plant:1883");
  t.deepEqual(reloaded.fallback.value!.keys, ["mqtt.url", "mqtt.password", "mqtt.username"]);
});

test("a remote set that leaves the broker keys as they are arms nothing", (t) => {
  const { config } = service(true);
  t.true(config.applyRemote({ "mqtt.url": "mqtt://broker.plant:1883", "node.site": "x" }).ok);
  t.is(config.fallback.value, undefined);
});

test("a failing flash leaves neither the config nor the fallback changed", (t) => {
  const { storage, config } = service(true);
  const generation = config.generation;
  let writes = 0;
  storage.beforeWrite = (key) => {
    if (key.startsWith("cfg.") && ++writes === 1) throw new Error("flash worn out");
  };
  const result = config.applyRemote({ "mqtt.url": "mqtt://new:1883" });
  t.deepEqual(result, { ok: false, errors: [{ key: "", code: "storage", message: "writing the config to flash failed: flash worn out" }] });
  t.is(config.generation, generation);
  t.is(new ConfigService(storage, "hw-1").fallback.value, undefined);
});

test("revertAdmin puts the broker keys back and keeps the others; a console save of a broker key drops the fallback", (t) => {
  const { storage, config } = service(true);
  t.true(config.applyRemote({ "mqtt.password": SECRET, "node.site": "Hall 3" }).ok);
  const changed = config.revertAdmin(config.fallback.value!.previous);
  t.deepEqual(changed, ["mqtt.password"]);
  const reloaded = new ConfigService(storage, "hw-1");
  t.is(reloaded.resolved().mqtt.password, "old-password");
  t.is(reloaded.get("node.site").value, "Hall 3");

  t.true(reloaded.applyRemote({ "mqtt.password": SECRET }).ok);
  reloaded.set("node.site", "Hall 4");
  reloaded.save();
  t.truthy(reloaded.fallback.value, "a save of other keys keeps it");
  reloaded.set("mqtt.password", "typed-by-hand");
  reloaded.save();
  t.is(reloaded.fallback.value, undefined);
  t.is(new FallbackRecord(storage).value, undefined);
});

test("an unreadable or inconsistent fallback record counts as none", (t) => {
  const { storage, config } = service(true);
  t.true(config.applyRemote({ "mqtt.url": "mqtt://new:1883" }).ok);
  const key = storage.keys().find((k) => k.startsWith("cfr."))!;
  const bytes = storage.map.get(key)!;
  bytes[bytes.length - 2] ^= 0x20;
  t.is(new FallbackRecord(storage).value, undefined);
});
