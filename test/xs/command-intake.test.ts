import test from "ava";
import { Decoder, encode } from "cbor-x";
import type { RecordedPublish } from "./platform.js";
import { runOnXS } from "../helpers/xs.js";

const decoder = new Decoder({ mapsAsObjects: true, useRecords: false });

test("on XS: an oversize command is answered too_large; retained commands never run and are reported once", async (t) => {
  const run = await runOnXS("test/xs/entries/boot-node.ts");
  t.teardown(() => run.close());
  const { nodeId } = await run.command<{ nodeId: string }>("boot");
  await run.command("accept");
  await run.command("take-publishes");
  const cmd = (verb: string) => `fieldnode/${nodeId}/cmd/${verb}`;
  const reboot = [...new Uint8Array(encode(new Map([["id", "r1"]])))];

  await run.command("oversize", [cmd("ping"), 300_000, false]);
  await run.command("oversize", [cmd("ping"), 300_000, true]);
  for (let i = 0; i < 3; i++) await run.command("deliver", [cmd("reboot"), reboot, true]);
  await run.command("advance", 2000);
  const published = await run.command<RecordedPublish[]>("take-publishes");
  const resp = published.filter((p) => p.topic.endsWith("/resp")).map((p) => decoder.decode(p.payload));
  t.deepEqual(resp, [{ id: null, ok: false, code: "too_large", error: "\"ping\": payload of 300000 bytes exceeds 512" }]);
  const evt = published.filter((p) => p.topic.endsWith("/evt")).map((p) => decoder.decode(p.payload) as { kind: string; detail: string });
  t.deepEqual(evt.map((e) => e.kind), ["cmd_retained"], "said once");
  t.regex(evt[0].detail, /cmd\/ping.*300000 bytes/);
  const { restarts } = await run.command<{ restarts: number }>("deliver", [cmd("reboot"), reboot, false]);
  await run.command("advance", 1000);
  const live = (await run.command<RecordedPublish[]>("take-publishes")).filter((p) => p.topic.endsWith("/resp")).map((p) => decoder.decode(p.payload));
  t.deepEqual(live, [{ id: "r1", ok: true }], "the same command, not retained, runs");
  t.is(restarts, 0, "the retained reboots did not run");
  const status = await run.command<string>("console", "status");
  t.regex(status, /cmd_retained=4\b/);
  t.regex(status, /cmd_too_large=1\b/);
});
