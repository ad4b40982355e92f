import test from "ava";
import { consoleRig, RIG_SECRETS } from "../helpers/console-rig.js";

const SECRET_VALUES = Object.values(RIG_SECRETS);
const noSecrets = (t: { false(v: boolean, m?: string): void }, text: string) => {
  for (const s of SECRET_VALUES) t.false(text.includes(s), `secret leaked in: ${text}`);
};

// [line, expected reply (regex over the whole reply)]
const CASES: [string, RegExp][] = [
  ["help", /^act <actuator> <value> \[for <s>\] \| <actuator> release +test.*\r\nOK\r\n$/s],
  ["help set", /^set <key> <value>\r\n  stage a new value.*Quote values.*OK\r\n$/s],
  ["help nope", /^ERR unknown-command no command "nope"/],
  ["version", /^fieldnode .* \(test\)\r\nOK\r\n$/],
  ["show mqtt", /^mqtt.client_id = ""\r\n.*mqtt.password = \(set\)\r\n.*mqtt.url = mqtt:\/\/127.0.0.1:1883\r\nmqtt.username = ""\r\nOK\r\n$/s],
  ["config act.pump", /^act.pump.failsafe_s = 0 s\r\n.*act.pump.type = relay\r\nOK\r\n$/s],
  ["show zzz", /^ERR unknown-key no keys under "zzz"/],
  ["show a b", /^ERR usage usage: show \[prefix\]\r\n$/],
  ["get mqtt.keepalive", /^mqtt.keepalive = 30 s\r\n  integer 5..3600 \(s\); default 30; needs restart, remotely settable\r\n  MQTT keepalive\r\nOK\r\n$/],
  ["get wifi.password", /^wifi.password = \(set\)\r\n.*secret.*OK\r\n$/s],
  ["get mqtt.keepaliv", /^ERR unknown-key unknown key "mqtt.keepaliv"; did you mean "mqtt.keepalive"\?\r\n$/],
  ["get", /^ERR usage usage: get <key>\r\n$/],
  ["set mqtt.keepalive 60", /^mqtt.keepalive = 60 s  \[unsaved\] \[restart\]\r\nOK\r\n$/],
  ["set mqtt.keepalive 2", /^ERR bad-value mqtt.keepalive must be 5..3600 \(s\), got 2\r\n$/],
  ["set mqtt.keepalive x", /^ERR bad-type mqtt.keepalive must be an integer \(s\), got "x"\r\n$/],
  ["set log.level loud", /^ERR bad-value log.level must be one of error, warn, info, debug, got "loud"\r\n$/],
  ['set node.site "Hall 3"', /^node.site = "Hall 3"  \[unsaved\]\r\nOK\r\n$/],
  ['set node.site "Hall 3', /^ERR bad-quote unterminated double quote\r\n$/],
  ["set ch.flow.interval 500", /^ERR unknown-key no channel "flow"; create it with: set ch.flow.type <sht3x\|bme280\|analog\|ads1115\|max31855\|digital\|pulse\|computed\|probe\|modbus>\r\n$/],
  ["set ch.t2.type sht3x", /^ch.t2.type = sht3x  \[unsaved\] \[restart\]\r\nOK\r\n$/],
  ["unset ch.t2", /^ch.t2 removed  \[unsaved\]\r\nOK\r\n$/],
  ["unset ch.nope", /^ERR unknown-key no channel "nope"/],
  ["unset mqtt.keepalive", /^mqtt.keepalive = 30 s\r\nOK\r\n$/],
  ["set act.pump.pin 6", /^act.pump.pin = 6 .*OK\r\n$/s],
  ["save", /^ERR rule act.pump.pin and act.fan.pin both use pin 6\r\n$/],
  ["discard", /^discarded 2 unsaved change\(s\)\r\nOK\r\n$/],
  ["set mqtt.url mqtts://b.example", /OK\r\n$/],
  ["save", /^ERR rule mqtt.url: mqtts:\/\/ needs an explicit port/],
  ["set mqtt.url mqtts://b.example:8883", /OK\r\n$/],
  ["save", /^saved generation 2\r\nreboot to apply: mqtt.url\r\nOK\r\n$/],
  ["save now", /^ERR usage usage: save \r\n$/],
  ["export", /^import v2 act.fan.pin=6 .*mqtt.url=mqtts:\/\/b.example:8883\r\nOK\r\n$/],
  ["export --all", /^ERR usage usage: export \[--with-secrets\], got "--all"\r\n$/],
  ["import v2 node.site=Cloned -ch.rh", /^imported; \d+ unsaved change\(s\): save to keep them\r\nOK\r\n$/],
  ["show ch.rh", /^ERR unknown-key/],
  ["get wifi.password", /^wifi.password = \(set\)/],
  ["import v9 x=1", /^ERR bad-value import: line is schema v9, this firmware reads v2\r\n$/],
  ["import v2 bogus", /^ERR bad-type import: expected key=value, got "bogus"\r\n$/],
  ["import v2 mqtt.keepalive=1", /^ERR bad-value mqtt.keepalive must be 5..3600 \(s\), got 1\r\n$/],
  ["discard", /^discarded \d+ unsaved change\(s\)\r\nOK\r\n$/],
  ["read temp", /^temp = -?\d+(\.\d+)? Cel\r\nOK\r\n$/],
  ["read tmp", /^ERR unknown-channel no channel "tmp"; did you mean "temp"\? channels: rh, temp\r\n$/],
  ["read", /^ERR usage usage: read <channel>\r\n$/],
  ["act pump on", /^ERR min-off pump has been off for 0 s; min_off_s is 10: wait 10 s\r\n$/],
  ["act pump maybe", /^ERR bad-value pump is a relay: value must be on or off, got "maybe"\r\n$/],
  ["act fan 40", /^fan=40% by console \(600 s left\)\r\nOK\r\n$/],
  ["act fan 140", /^ERR bad-value fan is PWM: value must be 0..100 \(%\), got 140\r\n$/],
  ["act heater on", /^ERR unknown-actuator no actuator "heater"; actuators: fan, pump\r\n$/],
  ["log", /^log level info\r\nOK\r\n$/],
  ["log debug", /^log level debug\r\nOK\r\n$/],
  ["log loud", /^ERR bad-value log level must be one of error, warn, info, debug, got "loud"\r\n$/],
  ["reboot now", /^ERR usage reboot takes no arguments\r\n$/],
  ["factory-reset please", /^ERR usage usage: factory-reset \[yes\]\r\n$/],
  ["sav", /^ERR unknown-command unknown command "sav"; did you mean "save"\? type help for the list\r\n$/],
  ["ver", /^ERR unknown-command unknown command "ver"; did you mean "version"\? type help for the list\r\n$/],
  ["disc", /^ERR unknown-command unknown command "disc"; did you mean "discard"\? type help for the list\r\n$/],
  ["factory", /^ERR unknown-command unknown command "factory"; did you mean "factory-reset"\? type help for the list\r\n$/],
  ["set node.site Hall 3", /^ERR usage usage: set <key> <value>; quote values with spaces: set node.site "Hall 3"\r\n$/],
  ["set mqtt.password two words", /^ERR usage usage: set <key> <value>; quote values with spaces: set node.site "Hall 3"\r\n$/],
  ["x".repeat(5000), /^ERR line-too-long line of 5000 bytes exceeds the maximum of 3072; ignored\r\n$/],
];

test("every command and error path, in order, through the console", (t) => {
  const rig = consoleRig();
  // The SHT3x starts measuring 2 ms after boot (a timer, not a wait): let it.
  rig.mp.advance(10);
  for (const [line, expected] of CASES) {
    const out = rig.run(line);
    t.regex(out, expected, line.slice(0, 60));
    noSecrets(t, out);
  }
});

test("export --with-secrets is the only way a secret leaves, and import round-trips it", (t) => {
  const rig = consoleRig();
  const out = rig.run("export --with-secrets");
  t.true(out.includes(RIG_SECRETS["wifi.password"]));
  const line = out.split("\r\n")[0];
  const other = consoleRig({ storage: undefined });
  other.run("factory-reset yes");
  t.regex(other.run(line), /^imported/);
  t.regex(other.run("save"), /saved generation/);
  t.is(other.run("export --with-secrets").split("\r\n")[0], line);
});

test("the relay keeps its min on/off times, and the safe state applies at boot", (t) => {
  const rig = consoleRig();
  t.is(rig.mp.board.pins.levels.get(5), 0, "safe state off at boot");
  rig.mp.advance(10_000);
  t.regex(rig.run("act pump on"), /^pump=on by console \(600 s left\)\r\nOK/);
  t.is(rig.mp.board.pins.levels.get(5), 1);
  rig.mp.advance(3_000);
  t.regex(rig.run("act pump off"), /^ERR min-on pump has been on for 3 s; min_on_s is 10: wait 7 s/);
  t.is(rig.mp.board.pins.levels.get(5), 1, "refused: unchanged");
  rig.mp.advance(7_000);
  t.regex(rig.run("act pump off"), /^pump=off by console \(600 s left\)\r\nOK/);
  rig.actuators.set("fan", 40, "console");
  rig.actuators.stop();
  t.is(rig.mp.board.pins.duty.get(6), 0, "safe state on stop");
});

test("factory-reset asks, confirms within 30 s, erases and restarts", (t) => {
  const rig = consoleRig();
  t.regex(rig.run("factory-reset"), /^ERR confirm this erases the whole config/);
  rig.mp.advance(31_000);
  t.regex(rig.run("factory-reset"), /^ERR confirm/, "too late: asks again");
  t.regex(rig.run("factory-reset"), /^config erased; restarting with factory defaults\r\nOK/);
  t.is(rig.mp.restarts, 0);
  rig.mp.advance(200);
  t.is(rig.mp.restarts, 1);
  t.deepEqual(rig.mp.storage.keys().filter((k) => k.startsWith("cfg.")), []);
  t.regex(rig.run("reboot"), /^restarting\r\nOK/);
  rig.mp.advance(200);
  t.is(rig.mp.restarts, 2);
});

test("interactive: prompt, echo, backspace, escape sequences swallowed, secrets echoed as *", (t) => {
  const rig = consoleRig({ interactive: true });
  rig.port.type("vers\x1b[Aiox\x7f\x7f\x7fion\r");
  t.is(rig.port.take(), "versiox\b \b\b \b\b \bion\r\nfieldnode 0.1.0 (test)\r\nOK\r\n> ");
  rig.port.type("set wifi.password NEWpw\n");
  const out = rig.port.take();
  t.true(out.startsWith("set wifi.password *****\r\n"), out);
  t.false(out.includes("NEWpw"));
  rig.port.type("get a\x03");
  t.is(rig.port.take(), "get a^C\r\n> ");
});

test("CR, LF and CRLF all end a line; binary garbage is dropped", (t) => {
  const rig = consoleRig();
  rig.port.type("version\rversion\nversion\r\nver\x00\x01sion\n");
  t.is(rig.port.take().match(/OK\r\n/g)?.length, 4);
});

test("applyRemote: all or nothing, only remotely-settable keys, saved at once", (t) => {
  const rig = consoleRig();
  const gen = rig.config.generation!;
  const bad = rig.config.applyRemote({ "mqtt.keepalive": 60, "mqtt.prefix": "x", "telemetry.batch_size": 0 });
  t.false(bad.ok);
  if (!bad.ok) t.deepEqual(bad.errors.map((e) => e.message), ["mqtt.prefix is not remotely settable", "telemetry.batch_size must be 1..1000 (readings), got 0"]);
  t.is(rig.config.generation, gen);
  t.is(rig.config.get("mqtt.keepalive").value, 30);
  const good = rig.config.applyRemote(new Map<string, unknown>([["mqtt.keepalive", "60"], ["act.pump.min_on_s", 30]]));
  t.deepEqual(good, { ok: true, generation: gen + 1, applied: ["mqtt.keepalive", "act.pump.min_on_s"], restartNeeded: ["mqtt.keepalive"] });
  t.is(consoleRig({ storage: rig.mp.storage }).config.get("mqtt.keepalive").value, 60);
  const rule = rig.config.applyRemote({ "ch.temp.interval": 60_000 });
  t.false(rule.ok);
});

test("show marks overrides, and overrides are never saved", (t) => {
  const rig = consoleRig();
  rig.config.setOverrides({ "mqtt.url": "mqtt://127.0.0.1:1" });
  t.is(rig.config.resolved().mqtt.url, "mqtt://127.0.0.1:1");
  t.regex(rig.run("show mqtt.url"), /mqtt.url = mqtt:\/\/127.0.0.1:1883  \[override: mqtt:\/\/127.0.0.1:1\]/);
  rig.run("set node.site x");
  rig.run("save");
  t.is(consoleRig({ storage: rig.mp.storage }).config.get("mqtt.url").value, "mqtt://127.0.0.1:1883");
  t.throws(() => rig.config.setOverrides({ "mqtt.url": "ftp://x" }), { instanceOf: RangeError });
});
