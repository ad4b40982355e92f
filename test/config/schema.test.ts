import test from "ava";
import { factoryDefaults, KEYS, lookupKey } from "../../modules/config/schema.js";
import { checkConfig, ConfigRuleError, parseText, UnknownKeyError } from "../../modules/config/validate.js";
import { resolveConfig } from "../../modules/config/resolve.js";
import { defaultConfig } from "../../modules/config/node-config.js";

// [key, text, expected value] — good values
const GOOD: [string, string, unknown][] = [
  ["node.id", "pump-7", "pump-7"],
  ["node.id", "", ""],
  ["node.site", "Hall 3, bay 2", "Hall 3, bay 2"],
  ["wifi.ssid", "plant-net", "plant-net"],
  ["wifi.password", "s3cret pass", "s3cret pass"],
  ["mqtt.url", "mqtts://broker.example.com:8883", "mqtts://broker.example.com:8883"],
  ["mqtt.url", "mqtt://10.0.0.5:1883", "mqtt://10.0.0.5:1883"],
  ["mqtt.client_id", "node_7", "node_7"],
  ["mqtt.prefix", "plant/line1", "plant/line1"],
  ["mqtt.keepalive", "60", 60],
  ["mqtt.keepalive", "0x3c", 60],
  ["mqtt.tls_fingerprint", "a".repeat(64), "a".repeat(64)],
  ["telemetry.batch_size", "1000", 1000],
  ["telemetry.max_interval", "1", 1],
  ["log.level", "debug", "debug"],
  ["ch.temp.interval", "100", 100],
  ["ch.temp.unit", "%RH", "%RH"],
  ["ch.temp.address", "0x45", 0x45],
  ["ch.temp.scale", "1.8", 1.8],
  ["ch.temp.scale", "-0.25", -0.25],
  ["ch.temp.offset", "+32", 32],
  ["ch.temp.offset", ".5", 0.5],
  ["ch.temp.offset", "2.5e-3", 0.0025],
  ["ch.temp.offset", "-1E+2", -100],
  ["act.pump.type", "pwm", "pwm"],
  ["act.pump.invert", "on", true],
  ["act.pump.safe_state", "100", 100],
];

for (const [key, text, value] of GOOD) test(`parseText ${key} ${JSON.stringify(text)}`, (t) => t.is(parseText(key, text), value as never));

// [key, text, error class, exact message]
const BAD: [string, string, new (...args: any[]) => Error, string][] = [
  ["mqtt.keepalive", "0", RangeError, "mqtt.keepalive must be 5..3600 (s), got 0"],
  ["mqtt.keepalive", "abc", TypeError, 'mqtt.keepalive must be an integer (s), got "abc"'],
  ["mqtt.keepalive", "1.5", TypeError, 'mqtt.keepalive must be an integer (s), got "1.5"'],
  ["mqtt.url", "http://x:1", RangeError, 'mqtt.url must be mqtt://host:port or mqtts://host:port, got "http://x:1"'],
  ["mqtt.prefix", "a/#", RangeError, 'mqtt.prefix must be 1-4 topic levels of A-Z a-z 0-9 _ -, no wildcards, got "a/#"'],
  ["node.id", "Pump", RangeError, 'node.id must be 1-32 of a-z 0-9 -, starting with a letter or digit (empty: the hardware id), got "Pump"'],
  ["wifi.password", "x".repeat(64), RangeError, "wifi.password must be at most 63 bytes, got 64"],
  ["wifi.ssid", "a\u0001b", RangeError, `wifi.ssid must not contain control characters, got "a\\u0001b"`],
  ["telemetry.batch_size", "1001", RangeError, "telemetry.batch_size must be 1..1000 (readings), got 1001"],
  ["log.level", "verbose", RangeError, 'log.level must be one of error, warn, info, debug, got "verbose"'],
  ["log.level", "debg", RangeError, 'log.level must be one of error, warn, info, debug, got "debg"; did you mean "debug"?'],
  ["act.pump.invert", "maybe", TypeError, 'act.pump.invert must be true or false, got "maybe"'],
  ["ch.temp.unit", "Celsius", RangeError, 'ch.temp.unit must be one of Cel, %RH, Pa, A, V, W, Hz, m/s2, /s, %, m, kg, l/s, m3, count, /, s, m3/s, got "Celsius"'],
  ["ch.temp.type", "thermistor", RangeError, 'ch.temp.type must be one of sht3x, bme280, analog, ads1115, max31855, digital, pulse, computed, probe, modbus, got "thermistor"'],
  ["ch.temp.scale", "1,5", TypeError, 'ch.temp.scale must be a decimal number such as -1.25 or 2e-3, got "1,5"'],
  ["ch.temp.scale", "NaN", TypeError, 'ch.temp.scale must be a decimal number such as -1.25 or 2e-3, got "NaN"'],
  ["ch.temp.scale", "Infinity", TypeError, 'ch.temp.scale must be a decimal number such as -1.25 or 2e-3, got "Infinity"'],
  ["ch.temp.scale", "1e", TypeError, 'ch.temp.scale must be a decimal number such as -1.25 or 2e-3, got "1e"'],
  ["ch.temp.scale", ".", TypeError, 'ch.temp.scale must be a decimal number such as -1.25 or 2e-3, got "."'],
  ["ch.temp.offset", "2e9", RangeError, "ch.temp.offset must be -1000000000..1000000000, got 2000000000"],
  ["ch.temp.interval", "50", RangeError, "ch.temp.interval must be 100..86400000 (ms), got 50"],
  ["mqtt.keepaliv", "5", UnknownKeyError, 'unknown key "mqtt.keepaliv"; did you mean "mqtt.keepalive"?'],
  ["ch.Temp.unit", "Cel", UnknownKeyError, 'channel name "Temp" must match [a-z][a-z0-9_]{0,15}'],
  ["ch.temp.units", "Cel", UnknownKeyError, 'unknown key "ch.temp.units"; channel fields are type, measure, interval, unit, scale, offset, filter, alarm, address, pin, signal, range_low, range_high, shunt, divider, vref, input, select, sck, miso, pull, invert, debounce_ms, pulses_per_unit, window_s, expr, device, function, register, format; did you mean "ch.temp.unit"?'],
  ["ch.temp.alarm", "xyzzy 1", RangeError, 'ch.temp.alarm: at column 1: unknown alarm "xyzzy"; alarms are hh, high, low, ll, rate, bad'],
  ["ch.temp.alarm", "high 80; hh 70", RangeError, "ch.temp.alarm: at column 10: hh 70 must be above high 80"],
  ["ch.temp.filter", "median(5) | medain(3)", RangeError, 'ch.temp.filter: column 13: unknown filter "medain"; did you mean "median"?'],
  ["ch.temp.filter", "compress(0.05, 0)", RangeError, "ch.temp.filter: column 16: compress: max_s must be above 0 and at most 86400, got 0"],
  ["ch.temp.filter", "ema(NaN)", RangeError, 'ch.temp.filter: column 5: ema: alpha must be a finite number, got "NaN"'],
  ["ch.temp.filter", "rate|".repeat(50), RangeError, "ch.temp.filter must be at most 200 bytes, got 250"],
  ["mqtt.tls_ca", "AAAA", RangeError, "mqtt.tls_ca: not a DER X.509 certificate (base64 of one DER certificate: openssl x509 -outform DER | base64 -w0)"],
  ["mqtt.tls_ca", "MAA=", RangeError, "mqtt.tls_ca: not a DER X.509 certificate (base64 of one DER certificate: openssl x509 -outform DER | base64 -w0)"],
  ["mqtt.tls_ca", "QUJD", RangeError, "mqtt.tls_ca: not a DER X.509 certificate (base64 of one DER certificate: openssl x509 -outform DER | base64 -w0)"],
];

for (const [key, text, type, message] of BAD)
  test(`parseText rejects ${key} ${JSON.stringify(text).slice(0, 30)}`, (t) => {
    const error = t.throws(() => parseText(key, text), { instanceOf: type as ErrorConstructor });
    t.is(error?.message, message);
  });

test("a secret's value never appears in its error", (t) => {
  const error = t.throws(() => parseText("mqtt.password", "p".repeat(200)));
  t.false(error!.message.includes("ppp"));
});

test("every key has type, help and a default or is optional", (t) => {
  for (const [key, spec] of Object.entries(KEYS)) {
    t.truthy(spec.help, key);
    if (spec.default !== undefined) t.notThrows(() => parseText(key, String(spec.default)), key);
  }
  t.truthy(lookupKey("act.x.min_on_s")?.spec.remote);
  t.true(KEYS["wifi.password"].secret && KEYS["mqtt.password"].secret);
});

test("factory defaults resolve to the board's two SHT3x channels (defaults from the sensor registry)", (t) => {
  const resolved = resolveConfig(factoryDefaults(), "hw-1");
  const expected = defaultConfig("hw-1");
  t.deepEqual(resolved.channels, [
    { name: "rh", type: "sht3x", measure: "humidity", address: 0x44, intervalMs: 1000, unit: "%RH", fields: { address: 0x44 } },
    { name: "temp", type: "sht3x", measure: "temperature", address: 0x44, intervalMs: 1000, unit: "Cel", fields: { address: 0x44 } },
  ]);
  t.deepEqual(resolved.telemetry, expected.telemetry);
  t.is(resolved.mqtt.url, expected.mqtt.url);
  t.is(resolved.mqtt.prefix, expected.mqtt.prefix);
  t.is(resolved.mqtt.keepalive, expected.mqtt.keepalive);
  t.is(resolved.nodeId, "hw-1");
  t.notThrows(() => checkConfig(factoryDefaults()));
});

const RULES: [Record<string, unknown>, string][] = [
  [{ "mqtt.url": "mqtts://b.example:99999" }, "mqtt.url port must be 1..65535, got 99999"],
  [{ "mqtt.url": "mqtts://b.example" }, 'mqtt.url: mqtts:// needs an explicit port (usually 8883), got "mqtts://b.example"'],
  [{ "mqtt.tls_fingerprint": "a".repeat(64) }, "mqtt.tls_ca / mqtt.tls_fingerprint need an mqtts:// mqtt.url"],
  [{ "act.a.type": "relay", "act.a.pin": 5, "act.a.safe_state": 0, "act.b.type": "relay", "act.b.pin": 5, "act.b.safe_state": 0 }, "act.b.pin and act.a.pin both use pin 5"],
  [{ "act.a.type": "relay", "act.a.pin": 5, "act.a.safe_state": 50 }, "act.a.safe_state of a relay must be 0 (off) or 100 (on), got 50"],
  [{ "act.a.type": "relay" }, "act.a.pin must be set"],
  [{ "ch.temp.interval": 20000 }, "ch.temp.interval 20000 ms is longer than telemetry.max_interval 10 s"],
  [{ "ch.temp.measure": "pressure" }, "ch.temp.measure must be one of temperature, humidity, got \"pressure\""],
  [{ "ch.zz.unit": "Cel" }, "ch.zz.unit belongs to no channel (set ch.zz.type first)"],
];
for (const [changes, message] of RULES)
  test(`rule: ${message.slice(0, 50)}`, (t) => {
    const raw = factoryDefaults();
    for (const [k, v] of Object.entries(changes)) raw.set(k, v as never);
    const error = t.throws(() => checkConfig(raw), { instanceOf: RangeError });
    t.true(error!.message.includes(message), error!.message);
  });

test("a rule error lists every broken rule", (t) => {
  const raw = factoryDefaults();
  raw.set("mqtt.url", "mqtts://b.example");
  raw.set("act.a.type", "relay");
  const error = t.throws(() => checkConfig(raw), { instanceOf: ConfigRuleError });
  t.regex(error!.message, /explicit port.*; act\.a\.pin must be set/);
});
