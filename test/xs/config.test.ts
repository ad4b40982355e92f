import test from "ava";
import { runOnXS } from "../helpers/xs.js";

test("config store, service and console run on XS: set, save, reload, errors, no secret leaks", async (t) => {
  const run = await runOnXS("test/xs/entries/config-console.ts");
  t.teardown(() => run.close());
  const replies = await run.command<string[]>("run", ["set mqtt.keepalive 90", "set mqtt.keepalive 2", "get wifi.password", "save", "export", "bogus"]);
  t.regex(replies[0], /^mqtt.keepalive = 90 s .*OK\r\n$/s);
  t.is(replies[1], "ERR bad-value mqtt.keepalive must be 5..3600 (s), got 2\r\n");
  t.regex(replies[2], /^wifi.password = \(set\)/);
  t.regex(replies[3], /^saved generation 2\r\n/);
  t.regex(replies[4], /^import v2 .*mqtt.keepalive=90/);
  t.false(replies.join("").includes("s3cret"));
  t.regex(replies[5], /^ERR unknown-command/);
  const reloaded = await run.command<{ value: number; generation: number; notes: string[] }>("reload", "mqtt.keepalive");
  t.deepEqual(reloaded, { value: 90, generation: 2, notes: [] });
});

test("on XS too: an export line of schema v1 is migrated on import, a prefix names the command, ESC does not eat a line end", async (t) => {
  const run = await runOnXS("test/xs/entries/config-console.ts");
  t.teardown(() => run.close());
  const replies = await run.command<string[]>("run", ["import v1 telemetry.max_age_ms=60000 ch.temp.interval_ms=2000", "get telemetry.max_interval", "get ch.temp.interval", "ver", "set node.site Hall 3", "version\x1b"]);
  t.regex(replies[0], /^imported \(migrated from schema v1\); \d+ unsaved change\(s\)/);
  t.regex(replies[1], /^telemetry\.max_interval = 60 s/);
  t.regex(replies[2], /^ch\.temp\.interval = 2000 ms/);
  t.regex(replies[3], /did you mean "version"\?/);
  t.regex(replies[4], /quote values with spaces: set node\.site "Hall 3"/);
  t.regex(replies[5], /^fieldnode \S+ \(\S+\)\r\nOK\r\n$/);
});
