import test from "ava";
import { parseChain } from "../../modules/edge/chain-parser.js";
import { buildChain } from "../../modules/edge/filter-chain.js";
import { runOnXS } from "../helpers/xs.js";
import { EDGE_CHAINS, edgeSignal, PARSE_TEXTS, type Row } from "./entries/edge-samples.js";

/** Output rows on Node, shaped as the XS entry returns them (JSON turns NaN into null). */
function onNode(text: string, rows: Row[]): [number | null, number, string][] {
  const out: [number | null, number, string][] = [];
  const chain = buildChain(text);
  const emit = (s: { value: number; at: number; quality?: string }) => out.push([Number.isNaN(s.value) ? null : s.value, s.at, s.quality ?? "good"]);
  for (const [value, at, quality] of rows) chain.push({ value, at, quality: quality ?? "good" }, emit);
  chain.flush(emit);
  return out;
}

test("the chain parser gives the same stages and the same errors on XS as on Node", async (t) => {
  const run = await runOnXS("test/xs/entries/edge-filters.ts");
  t.teardown(() => run.close());
  t.deepEqual(await run.command("parse", PARSE_TEXTS), PARSE_TEXTS.map((text) => parseChain(text)));
});

test("every chain gives the same points on XS as on Node, bit for bit", async (t) => {
  const run = await runOnXS("test/xs/entries/edge-filters.ts");
  t.teardown(() => run.close());
  const rows = edgeSignal(7, 600);
  for (const text of EDGE_CHAINS) {
    const expected = onNode(text, rows);
    t.true(expected.length > 0, text);
    t.deepEqual(await run.command("chain", { text, rows }), expected, text || "(empty chain)");
  }
});
