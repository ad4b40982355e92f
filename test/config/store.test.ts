import test from "ava";
import { CodedError } from "../../modules/errors.js";
import { factoryDefaults, type RawConfig } from "../../modules/config/schema.js";
import { chunkKey, ConfigStore, newer } from "../../modules/config/store.js";
import { ConfigService } from "../../modules/config/config-service.js";
import { MemoryStorage } from "../helpers/memory-platform.js";

function config(site: string, extra = 0): RawConfig {
  const raw = factoryDefaults();
  raw.set("node.site", site);
  // `extra` channels make the record span several 4,000-byte chunks.
  for (let i = 0; i < extra; i++) raw.set(`ch.c${i}.type`, "sht3x"), raw.set(`ch.c${i}.unit`, "Cel"), raw.set(`ch.c${i}.measure`, "temperature"), raw.set(`ch.c${i}.address`, 0x44), raw.set(`ch.c${i}.interval`, 1000);
  return raw;
}

test("save alternates slots A and B with rising generations; load picks the newest", (t) => {
  const storage = new MemoryStorage();
  const store = new ConfigStore(storage);
  t.is(store.load().source, "defaults");
  t.is(store.save(config("one")), 1);
  t.truthy(storage.map.get(chunkKey("a", 0)));
  t.is(store.save(config("two")), 2);
  t.truthy(storage.map.get(chunkKey("b", 0)));
  const loaded = new ConfigStore(storage).load();
  t.is(loaded.generation, 2);
  t.is(loaded.slot, "b");
  t.is(loaded.values["node.site"], "two");
  t.deepEqual(loaded.notes, []);
});

test("flipping any byte of the newest record falls back to the previous one and says so", (t) => {
  const storage = new MemoryStorage();
  const store = new ConfigStore(storage);
  store.save(config("old"));
  store.save(config("new"));
  const good = storage.map.get(chunkKey("b", 0))!;
  for (let i = 0; i < good.length; i++) {
    const bad = good.slice();
    bad[i] ^= 0x5a;
    storage.map.set(chunkKey("b", 0), bad);
    const loaded = new ConfigStore(storage).load();
    t.is(loaded.values["node.site"], "old", `byte ${i}`);
    t.regex(loaded.notes.join("; "), /slot B unreadable.*using generation 1 from slot A/, `byte ${i}`);
  }
});

test("power loss during any chunk write of a multi-chunk record leaves the old or the new config", (t) => {
  const old = config("old", 60);
  const next = config("new", 60);
  // Find how many writes a save does.
  const probe = new MemoryStorage();
  const probeStore = new ConfigStore(probe);
  probeStore.save(old);
  const before = probe.writes;
  probeStore.save(next);
  const writesPerSave = probe.writes - before;
  t.true(writesPerSave >= 2, `record spans ${writesPerSave} chunks`);
  for (let cut = 0; cut < writesPerSave; cut++)
    for (const keep of [0, 1, 17, 100, 3999]) {
      const storage = new MemoryStorage();
      const store = new ConfigStore(storage);
      store.save(old);
      store.save(config("between", 60));
      const base = storage.writes;
      storage.beforeWrite = (_key, value, index) => {
        if (index - base === cut) {
          storage.beforeWrite = (_k, _v, _i) => { throw new Error("powered off"); };
          return value.subarray(0, Math.min(keep, value.length)); // torn write, then nothing more
        }
      };
      try {
        store.save(next);
      } catch {
        // the power went
      }
      storage.beforeWrite = undefined;
      const loaded = new ConfigStore(storage).load();
      t.true(loaded.values["node.site"] === "between" || loaded.values["node.site"] === "new", `cut ${cut} keep ${keep}: ${String(loaded.values["node.site"])}`);
    }
});

test("a write that throws leaves the current record current", (t) => {
  const storage = new MemoryStorage();
  const store = new ConfigStore(storage);
  store.save(config("one"));
  storage.beforeWrite = () => { throw new Error("flash full"); };
  t.throws(() => store.save(config("two")), { message: "writing the config to flash failed: flash full" });
  t.throws(() => store.save(config("two")), { instanceOf: CodedError });
  storage.beforeWrite = undefined;
  t.is(store.generation, 1);
  t.is(new ConfigStore(storage).load().values["node.site"], "one");
  t.is(store.save(config("three")), 2);
  t.is(new ConfigStore(storage).load().values["node.site"], "three");
});

test("stale chunks of an older, longer record in the slot are ignored and freed", (t) => {
  const storage = new MemoryStorage();
  const store = new ConfigStore(storage);
  store.save(config("long", 16));
  store.save(config("x"));
  store.save(config("short"));
  t.is(storage.map.get(chunkKey("a", 1)), undefined);
  t.is(new ConfigStore(storage).load().values["node.site"], "short");
});

test("generation numbers wrap at 2^32 without losing the newest record", (t) => {
  t.true(newer(0, 0xffffffff));
  t.false(newer(0xffffffff, 0));
  t.true(newer(5, 4));
  const storage = new MemoryStorage();
  ConfigStore.writeRaw(storage, "a", 2, 0xfffffffe, new TextEncoder().encode(JSON.stringify({ "node.site": "before" })));
  const store = new ConfigStore(storage);
  store.load();
  t.is(store.save(config("wrap-1")), 0xffffffff);
  t.is(store.save(config("wrap-2")), 0);
  const loaded = new ConfigStore(storage).load();
  t.is(loaded.generation, 0);
  t.is(loaded.values["node.site"], "wrap-2");
});

test("a v1 record migrates to v2 on load", (t) => {
  const storage = new MemoryStorage();
  const v1 = { "node.site": "legacy", "telemetry.max_age_ms": 2500, "mqtt.tls_fp": "AB".repeat(32), "mqtt.url": "mqtts://b.example:8883", "ch.temp.type": "sht3x", "ch.temp.measure": "temperature", "ch.temp.unit": "Cel", "ch.temp.address": 68, "ch.temp.interval_ms": 2000 };
  ConfigStore.writeRaw(storage, "a", 1, 3, new TextEncoder().encode(JSON.stringify(v1)));
  const service = new ConfigService(storage, "hw");
  t.is(service.loaded.source, "record");
  t.true(service.loaded.notes.includes("migrated config from schema v1 to v2"));
  t.is(service.get("telemetry.max_interval").value, 3);
  t.is(service.get("mqtt.tls_fingerprint").value, "ab".repeat(32));
  t.is(service.get("ch.temp.interval").value, 2000);
  t.is(service.resolved().site, "legacy");
  t.deepEqual(service.resolved().channels.map((c) => c.name), ["temp"]);
});

test("a record from a newer schema is refused and the other slot is used", (t) => {
  const storage = new MemoryStorage();
  ConfigStore.writeRaw(storage, "a", 2, 1, new TextEncoder().encode(JSON.stringify({ "node.site": "mine" })));
  ConfigStore.writeRaw(storage, "b", 9, 2, new TextEncoder().encode(JSON.stringify({ "node.site": "future" })));
  const loaded = new ConfigStore(storage).load();
  t.is(loaded.values["node.site"], "mine");
  t.regex(loaded.notes.join(";"), /schema version 9 is newer/);
});

test("both slots corrupt: defaults, and the service reports it", (t) => {
  const storage = new MemoryStorage();
  storage.map.set(chunkKey("a", 0), new Uint8Array([1, 2, 3]));
  storage.map.set(chunkKey("b", 0), new Uint8Array(40));
  const service = new ConfigService(storage, "hw");
  t.is(service.loaded.source, "defaults");
  t.regex(service.loaded.notes.join("; "), /slot A unreadable.*slot B unreadable.*using defaults/);
  t.is(service.resolved().nodeId, "hw");
});

test("a stored value that breaks the schema falls back to its default, noted", (t) => {
  const storage = new MemoryStorage();
  ConfigStore.writeRaw(storage, "a", 2, 1, new TextEncoder().encode(JSON.stringify({ ...Object.fromEntries(factoryDefaults()), "mqtt.keepalive": -4, "node.site": "ok" })));
  const service = new ConfigService(storage, "hw");
  t.is(service.get("mqtt.keepalive").value, 30);
  t.is(service.get("node.site").value, "ok");
  t.regex(service.loaded.notes.join(), /stored mqtt.keepalive: mqtt.keepalive must be 5..3600/);
});
