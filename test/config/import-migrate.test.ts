import test from "ava";
import { consoleRig } from "../helpers/console-rig.js";

const FP = "AB".repeat(32);

/** An export line of firmware 0.1 (schema v1): old key names, max age in ms, fingerprint in upper case. */
const V1_LINE = `import v1 mqtt.url=mqtts://b.example:8883 telemetry.max_age_ms=60000 ch.temp.interval_ms=2000 mqtt.tls_fp=${FP} node.site="Hall 3"`;

test("import migrates an export line of schema v1 as stored records are migrated", (t) => {
  const rig = consoleRig();
  rig.port.type(`${V1_LINE}\r`);
  t.regex(rig.port.take(), /^imported \(migrated from schema v1\); \d+ unsaved change\(s\): save to keep them\r\nOK\r\n$/);
  const get = (key: string) => {
    rig.port.type(`get ${key}\r`);
    return rig.port.take().split("\r\n")[0];
  };
  t.regex(get("telemetry.max_interval"), /^telemetry\.max_interval = 60 s/);
  t.regex(get("ch.temp.interval"), /^ch\.temp\.interval = 2000 ms/);
  t.regex(get("mqtt.tls_fingerprint"), new RegExp(`^mqtt\\.tls_fingerprint = "?${FP.toLowerCase()}`));
  t.regex(get("node.site"), /^node\.site = "Hall 3"/);
});

test("a v1 line removing an old key removes the new one", (t) => {
  const rig = consoleRig();
  rig.port.type("import v1 -ch.temp.interval_ms\r");
  t.regex(rig.port.take(), /OK\r\n$/);
  t.deepEqual(rig.config.unsavedKeys().includes("ch.temp.interval"), true);
});

test("a v1 line with a bad value is refused, naming the migrated key, and changes nothing", (t) => {
  const rig = consoleRig();
  const before = rig.config.exportLine(true);
  rig.port.type("import v1 ch.temp.interval_ms=5\r");
  t.regex(rig.port.take(), /^ERR bad-value ch\.temp\.interval must be 100\.\.86400000 \(ms\), got 5\r\n$/);
  t.is(rig.config.exportLine(true), before);
});

test("import v0 is still refused: older than the oldest supported schema", (t) => {
  const rig = consoleRig();
  rig.port.type("import v0 node.site=x\r");
  t.regex(rig.port.take(), /^ERR bad-value import: line is schema v0.*oldest.*v1/);
});
