import test from "ava";
import { pattern } from "../../modules/util/pattern.js";

test("a pattern tests and execs as the RegExp of its source and flags", (t) => {
  const p = pattern(String.raw`^\s*set\s+(\S+)\s`, "i");
  t.is(p.source, new RegExp(String.raw`^\s*set\s+(\S+)\s`, "i").source);
  t.true(p.test("  SET mqtt.password x"));
  t.false(p.test("get x "));
  t.is(p.exec("set wifi.ssid net")?.[1], "wifi.ssid");
  t.is(p.exec("nothing"), null);
});

test("no state between calls, even with the g flag (each use compiles afresh)", (t) => {
  const p = pattern("a", "g");
  t.true(p.test("a"));
  t.true(p.test("a"));
  t.true(Object.isFrozen(p));
});
