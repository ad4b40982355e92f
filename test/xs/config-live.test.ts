/**
 * The hardening of issue 7 on the XS engine: live config keys through the
 * watchers, escaped log lines, the per-source log limit and the one error
 * vocabulary, in the booted firmware.
 */
import test from "ava";
import { decode, encode } from "cbor-x";
import type { RecordedPublish } from "./platform.js";
import { runOnXS } from "../helpers/xs.js";

const BOOT = "test/xs/entries/boot-node.ts";
const bytes = (value: unknown) => [...new Uint8Array(encode(value))];

test("on XS: a live key takes effect at save and remotely, outside text is escaped in log lines, repeated lines are limited", async (t) => {
  const run = await runOnXS(BOOT);
  t.teardown(() => run.close());
  const boot = await run.command<{ nodeId: string }>("boot");
  await run.command("accept");
  await run.command("advance", 2_000);
  const cmd = (verb: string, args: [string, unknown][]) => run.command("deliver-message", { topic: `fieldnode/${boot.nodeId}/cmd/${verb}`, bytes: bytes(new Map(args)) });

  t.regex(await run.command<string>("console", "set telemetry.batch_size 2"), /OK/);
  t.regex(await run.command<string>("console", "save"), /^saved generation \d+\r\nOK/);
  await run.command("take-publishes");
  await run.command("advance", 5_000);
  const tele = (await run.command<RecordedPublish[]>("take-publishes")).filter((p) => p.topic.endsWith("/tele"));
  t.true(tele.length >= 3, `packs of 2 readings every second: ${tele.length}`);
  for (const p of tele) t.is((decode(p.payload) as unknown[]).length, 2 + 1 + 2, "_seq, _boot, _clock and 2 readings");

  await run.command("take-logs");
  await cmd("read", [["id", "r1"], ["ch", "x\r\n[0.000] ERROR forged\x1b[2J"]]);
  const logs = await run.command<string[]>("take-logs");
  t.true(logs.some((l) => l.includes('WARN cmd: read: not_found: no channel "x\\r\\n[0.000] ERROR forged\\x1b[2J"')), logs.join("\n"));
  t.false(logs.some((l) => /[\r\n\x1b]/.test(l)));

  for (let i = 0; i < 20; i++) await cmd("read", [["id", `n${i}`], ["ch", `nope${i}`]]);
  const limited = (await run.command<string[]>("take-logs")).filter((l) => l.includes("WARN cmd: read"));
  t.true(limited.length <= 5, limited.join("\n"));

  await cmd("set", [["id", "s1"], ["keys", new Map([["log.level", "error"]])]]);
  await run.command("advance", 20_000);
  await cmd("read", [["id", "r2"], ["ch", "other"]]);
  const quiet = await run.command<string[]>("take-logs");
  t.false(quiet.some((l) => l.includes("WARN") && !l.includes("suppressed")), quiet.join("\n"));
  const resp = (await run.command<RecordedPublish[]>("take-publishes")).filter((p) => p.topic.endsWith("/resp")).map((p) => decode(p.payload) as { id: string; ok: boolean; code?: string });
  t.like(resp.find((r) => r.id === "s1"), { ok: true });
  t.like(resp.find((r) => r.id === "r2"), { ok: false, code: "not_found" });
});
