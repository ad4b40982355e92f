import test from "ava";
import { ConfigService } from "../../modules/config/config-service.js";
import { CHANNEL_FIELDS, COMMON_CHANNEL_FIELDS } from "../../modules/config/channel-fields.js";
import { factoryDefaults } from "../../modules/config/schema.js";
import { ConfigStore } from "../../modules/config/store.js";
import { ConfigRuleError, UnknownKeyError } from "../../modules/config/validate.js";
import { SENSOR_TYPES } from "../../modules/io/sensor-registry.js";
import { tokenize } from "../../modules/console/tokenize.js";
import { MemoryStorage } from "../helpers/memory-platform.js";

const service = () => new ConfigService(new MemoryStorage(), "hw");

test("the schema's channel fields come from the registry: the common ones plus each type's own", (t) => {
  const fields = new Set(Object.keys(COMMON_CHANNEL_FIELDS));
  for (const type of Object.values(SENSOR_TYPES)) for (const field of Object.keys(type.fields)) fields.add(field);
  t.deepEqual(Object.keys(CHANNEL_FIELDS).sort(), [...fields].sort());
  t.deepEqual(CHANNEL_FIELDS.type.values, Object.keys(SENSOR_TYPES));
  t.true(Object.isFrozen(SENSOR_TYPES.sht3x.fields.address));
});

test("the factory channels take the SHT3x descriptor's defaults", (t) => {
  const raw = factoryDefaults();
  t.is(raw.get("ch.temp.address"), SENSOR_TYPES.sht3x.fields.address.default);
  t.is(raw.get("ch.rh.unit"), SENSOR_TYPES.sht3x.quantities.humidity.unit);
});

test("a field of another type is refused at set, naming the channel's type and its fields", (t) => {
  const config = service();
  const error = t.throws(() => config.set("ch.temp.expr", "rh * 2"), { instanceOf: UnknownKeyError });
  t.is(error?.message, "ch.temp.expr is not a field of sht3x channels; their fields are type, measure, interval, unit, scale, offset, filter, alarm, address");
});

test("per-type bounds: an SHT3x address outside 0x44..0x45, a measure that is not the type's", (t) => {
  const config = service();
  t.throws(() => config.set("ch.temp.address", "0x76"), { instanceOf: RangeError, message: "ch.temp.address must be 0x44..0x45, got 0x76" });
  t.throws(() => config.set("ch.temp.measure", "value"), { instanceOf: RangeError, message: 'ch.temp.measure must be one of temperature, humidity, got "value"' });
  t.deepEqual(config.unsavedKeys(), []);
});

test("decimal keys: set, saved and loaded back as the same number", (t) => {
  const storage = new MemoryStorage();
  const config = new ConfigService(storage, "hw");
  config.set("ch.temp.scale", "1.8");
  config.set("ch.temp.offset", "-0.35");
  config.save();
  const again = new ConfigService(storage, "hw");
  t.is(again.get("ch.temp.scale").value, 1.8);
  t.is(again.resolved().channels.find((c) => c.name === "temp")?.offset, -0.35);
  t.deepEqual(again.loaded.notes, []);
});

test("a computed channel: created with its type's defaults, and refused at save until its expression is right", (t) => {
  const storage = new MemoryStorage();
  const config = new ConfigService(storage, "hw");
  config.set("ch.power.type", "computed");
  t.is(config.get("ch.power.measure").value, "value");
  t.is(config.get("ch.power.unit").value, "count");
  t.throws(() => config.save(), { instanceOf: ConfigRuleError, message: /ch\.power\.expr must be set for a computed channel/ });
  const cases: [string, RegExp][] = [
    ["temp *", /ch\.power\.expr at 7: expected a number, a channel name, a function or "\(", got the end in "temp \*"/],
    ["temp * flow", /ch\.power\.expr refers to channel "flow", which does not exist/],
    ["power + 1", /ch\.power\.expr makes a cycle: power -> power/],
  ];
  for (const [expr, message] of cases) {
    config.set("ch.power.expr", expr);
    const error = t.throws(() => config.save(), { instanceOf: ConfigRuleError });
    t.regex(error!.message, message, expr);
  }
  config.set("ch.power.expr", "temp * rh");
  config.set("ch.power.unit", "W");
  t.notThrows(() => config.save());
  t.deepEqual(new ConfigService(storage, "hw").resolved().channels.find((c) => c.name === "power")?.fields, { expr: "temp * rh" });
});

test("a cycle through two computed channels is refused, naming the key and the path", (t) => {
  const config = service();
  config.set("ch.a.type", "computed");
  config.set("ch.a.expr", "b + temp");
  config.set("ch.b.type", "computed");
  config.set("ch.b.expr", "a * 2");
  const error = t.throws(() => config.save(), { instanceOf: ConfigRuleError });
  t.regex(error!.message, /ch\.a\.expr makes a cycle: a -> b -> a/);
  t.regex(error!.message, /ch\.b\.expr makes a cycle: b -> a -> b/);
});

test("retyping a channel drops the old type's fields and takes the new type's defaults", (t) => {
  const config = service();
  config.set("ch.temp.scale", "2");
  config.set("ch.temp.type", "computed");
  t.throws(() => config.get("ch.temp.address"), { instanceOf: UnknownKeyError });
  t.is(config.get("ch.temp.measure").value, "value");
  t.is(config.get("ch.temp.scale").value, 2, "common fields stay");
  config.set("ch.temp.type", "sht3x");
  t.is(config.get("ch.temp.address").value, 0x44);
  t.is(config.get("ch.temp.measure").value, "temperature");
});

test("a v2 record written before the registry loads unchanged (no schema bump needed)", (t) => {
  const storage = new MemoryStorage();
  const before = { "node.site": "hall", "ch.temp.type": "sht3x", "ch.temp.measure": "temperature", "ch.temp.unit": "Cel", "ch.temp.address": 68, "ch.temp.interval": 2000 };
  ConfigStore.writeRaw(storage, "a", 2, 5, new TextEncoder().encode(JSON.stringify(before)));
  const config = new ConfigService(storage, "hw");
  t.is(config.loaded.source, "record");
  t.deepEqual(config.loaded.notes, []);
  t.deepEqual(config.resolved().channels, [{ name: "temp", type: "sht3x", measure: "temperature", address: 68, intervalMs: 2000, unit: "Cel", fields: { address: 68 } }]);
});

test("a stored channel with a field its type does not have falls back to defaults with a note, not a crash", (t) => {
  const storage = new MemoryStorage();
  const bad = { "ch.temp.type": "sht3x", "ch.temp.measure": "temperature", "ch.temp.unit": "Cel", "ch.temp.address": 68, "ch.temp.expr": "1" };
  ConfigStore.writeRaw(storage, "a", 2, 5, new TextEncoder().encode(JSON.stringify(bad)));
  const config = new ConfigService(storage, "hw");
  t.regex(config.loaded.notes.join(";"), /ch\.temp\.expr is not a field of sht3x channels/);
});

test("a BME280 channel takes its descriptor's defaults: 0x76, temperature in Cel; pressure in Pa", (t) => {
  const config = service();
  config.set("ch.baro.type", "bme280");
  t.is(config.get("ch.baro.address").value, 0x76);
  t.is(config.get("ch.baro.measure").value, "temperature");
  config.unset("ch.baro.measure");
  config.set("ch.baro.measure", "pressure");
  t.throws(() => config.set("ch.baro.address", "0x44"), { instanceOf: RangeError, message: "ch.baro.address must be 0x76..0x77, got 0x44" });
  config.set("ch.baro.unit", "Pa");
  t.notThrows(() => config.save());
});

test("export and import carry a computed channel's expression and decimal fields", (t) => {
  const config = service();
  config.set("ch.power.type", "computed");
  config.set("ch.power.expr", "temp * (rh + 0.5)");
  config.set("ch.power.unit", "W");
  config.set("ch.temp.offset", "-0.25");
  config.save();
  const line = `import ${config.exportLine(false)}`;
  t.regex(line, /ch\.power\.expr="temp \* \(rh \+ 0\.5\)"/);
  t.regex(line, /ch\.temp\.offset=-0\.25/);
  const other = service();
  other.importWords(tokenizeExport(line));
  other.save();
  t.is(other.get("ch.power.expr").value, "temp * (rh + 0.5)");
  t.is(other.get("ch.temp.offset").value, -0.25);
});

/** The export line's words as the console's tokenizer splits them. */
function tokenizeExport(line: string): string[] {
  const result = tokenize(line);
  if ("error" in result) throw new Error(result.error);
  return result.words.slice(1);
}
