/**
 * The config service's three layers (saved, pending, running) share one Map
 * until they differ (ESP32 slot heap): every change of one layer must leave
 * the others as they were.
 */
import test from "ava";
import { ConfigService } from "../../modules/config/config-service.js";
import { MemoryStorage } from "../helpers/memory-platform.js";

test("a staged edit changes only pending: saved and running keep their values, discard restores", (t) => {
  const config = new ConfigService(new MemoryStorage(), "test-node");
  config.set("node.site", "hall 3");
  config.set("mqtt.keepalive", "60");
  t.deepEqual(config.unsavedKeys(), ["mqtt.keepalive", "node.site"]);
  t.like(config.get("mqtt.keepalive"), { value: 60, unsaved: true, restart: true });
  t.is(config.resolved().mqtt.keepalive, 30);
  t.is(config.discard(), 2);
  t.like(config.get("mqtt.keepalive"), { value: 30, unsaved: false, restart: false });
  config.unset("node.site");
  t.deepEqual(config.unsavedKeys(), []);
});

test("after a save, a new edit does not change what was saved; running keeps restart keys at their boot value", (t) => {
  const config = new ConfigService(new MemoryStorage(), "test-node");
  config.set("mqtt.keepalive", "60");
  config.save();
  t.like(config.get("mqtt.keepalive"), { value: 60, unsaved: false, restart: true });
  config.set("mqtt.keepalive", "90");
  t.like(config.get("mqtt.keepalive"), { value: 90, unsaved: true, restart: true });
  config.discard();
  t.like(config.get("mqtt.keepalive"), { value: 60, unsaved: false });
  t.is(config.resolved().mqtt.keepalive, 30);
});

test("a remote change of a live key reaches running and pending, keeping the technician's other staged edits", (t) => {
  const config = new ConfigService(new MemoryStorage(), "test-node");
  config.set("log.level", "debug");
  const result = config.applyRemote({ "node.site": "roof" });
  t.like(result, { ok: true, restartNeeded: [] });
  t.is(config.resolved().site, "roof");
  t.deepEqual(config.unsavedKeys(), ["log.level"]);
  t.like(config.get("node.site"), { value: "roof", unsaved: false });
  config.discard();
  t.like(config.get("log.level"), { value: "info", unsaved: false });
  t.like(config.get("node.site"), { value: "roof" });
});

test("a live key saved while an override pins it: running keeps the override", (t) => {
  const config = new ConfigService(new MemoryStorage(), "test-node");
  config.setOverrides({ "log.level": "debug" });
  config.set("log.level", "warn");
  config.save();
  t.is(config.resolved().logLevel, "debug");
  t.like(config.get("log.level"), { value: "warn", override: "debug" });
});
