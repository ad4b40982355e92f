/** The dashboard's taps on XS: FilterChain.onCompressInput, and a booted node's observer (NodeHandle.observe). */
import test from "ava";
import { buildChain } from "../../modules/edge/filter-chain.js";
import { runOnXS } from "../helpers/xs.js";
import { edgeSignal } from "./entries/edge-samples.js";

test("onCompressInput sees the same readings on XS as on Node", async (t) => {
  const run = await runOnXS("test/xs/entries/edge-filters.ts");
  t.teardown(() => run.close());
  const rows = edgeSignal(5, 300);
  for (const text of ["compress(0.2)", "median(5) | ema(0.3) | compress(0.1) | heartbeat(60)"]) {
    const expected: [number | null, number][] = [];
    const chain = buildChain(text);
    chain.onCompressInput = (s) => expected.push([Number.isNaN(s.value) ? null : s.value, s.at]);
    for (const [value, at, quality] of rows) chain.push({ value, at, quality: quality ?? "good" }, () => {});
    chain.flush(() => {});
    t.true(expected.length > 200, text);
    t.deepEqual(await run.command("compress-input", { text, rows }), expected, text);
  }
});

test("a node booted on XS hands its raw and reported readings to an observer", async (t) => {
  const run = await runOnXS("test/xs/entries/boot-node.ts");
  t.teardown(() => run.close());
  await run.command("boot");
  await run.command("observe");
  await run.command("accept");
  await run.command("advance", 10_000);
  const counts = await run.command<Record<string, number>>("taps");
  t.true(counts["raw temp"] >= 9, JSON.stringify(counts));
  t.is(counts["reported temp"], counts["raw temp"], "no filter: every reading is reported");
  t.false("filtered temp" in counts, "no compress: no filtered tap");
  t.false(Object.keys(counts).some((k) => k.endsWith("bad-time")));
  await run.command("stop");
});
