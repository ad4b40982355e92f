import test from "ava";
import { ConfigService } from "../modules/config/config-service.js";
import { startNode } from "../modules/node.js";
import { MemoryStorage, memoryPlatform } from "./helpers/memory-platform.js";

/** Boots a node on `storage`, recording what it asks of the network; returns the join calls. */
async function boot(storage: MemoryStorage, options: Parameters<typeof startNode>[1] = {}) {
  const rig = memoryPlatform({ storage });
  const joins: { ssid: string; password: string }[] = [];
  rig.platform.system.joinNetwork = (credentials) => void joins.push({ ...credentials });
  const node = startNode(rig.platform, options);
  await node.stop();
  return { joins, rig };
}

test("build settings stand in for factory defaults until the first save, then the saved config wins", (t) => {
  const storage = new MemoryStorage();
  const fresh = new ConfigService(storage, "hw-1");
  fresh.seedDefaults({ "mqtt.url": "mqtt://10.0.0.5:1883", "wifi.ssid": "Plant" });
  t.is(fresh.resolved().mqtt.url, "mqtt://10.0.0.5:1883");
  t.is(fresh.resolved().wifi?.ssid, "Plant");
  fresh.set("mqtt.url", "mqtt://10.0.0.9:1883");
  fresh.save();

  const later = new ConfigService(storage, "hw-1");
  later.seedDefaults({ "mqtt.url": "mqtt://10.0.0.5:1883" });
  t.is(later.resolved().mqtt.url, "mqtt://10.0.0.9:1883", "a saved record is never replaced by build settings");
  t.is(later.resolved().wifi?.ssid, "Plant", "what the seed gave was saved along");
});

test("a bad build setting is refused like a bad console value", (t) => {
  const service = new ConfigService(new MemoryStorage(), "hw-1");
  t.throws(() => service.seedDefaults({ "mqtt.url": "http://x" }), { instanceOf: RangeError });
  t.is(service.resolved().mqtt.url, "mqtt://127.0.0.1:1883", "nothing changed");
});

test("the node joins the Wi-Fi its config names, and none when wifi.ssid is empty", async (t) => {
  const storage = new MemoryStorage();
  t.deepEqual((await boot(storage)).joins, [], "factory defaults: no network to join");

  const service = new ConfigService(storage, "hw-1");
  service.set("wifi.ssid", "Hall 3");
  service.set("wifi.password", "pa55word");
  service.save();
  t.deepEqual((await boot(storage)).joins, [{ ssid: "Hall 3", password: "pa55word" }]);
});

test("build-time Wi-Fi credentials are joined on a board that has never been configured", async (t) => {
  const { joins } = await boot(new MemoryStorage(), { defaults: { "wifi.ssid": "Factory", "wifi.password": "12345678" } });
  t.deepEqual(joins, [{ ssid: "Factory", password: "12345678" }]);
});
