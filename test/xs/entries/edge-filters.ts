/**
 * Guest entry: the edge filters on XS. "parse" returns `parseChain` of each
 * text; "chain" runs a chain text over rows [value, at, quality?] and
 * returns the output rows (NaN as null, as JSON carries it); "count" does
 * the same and returns only the number of outputs (for the bench's
 * computation meter, without the cost of sending them back); "hold" builds
 * chains and keeps them, fed with rows, for the bench's memory figure;
 * "compress-input" returns what `onCompressInput` saw of a chain fed with rows.
 */
import type { Sample } from "../../../modules/edge/filter.js";
import { buildChain } from "../../../modules/edge/filter-chain.js";
import { parseChain } from "../../../modules/edge/chain-parser.js";
import type { XsGuest } from "../../helpers/xs.js";
import type { Row } from "./edge-samples.js";

declare const xsHarness: XsGuest;

function run(text: string, rows: Row[], out: (s: Sample) => void): void {
  const chain = buildChain(text);
  for (const [value, at, quality] of rows) chain.push({ value: value === null ? Number.NaN : value, at, quality: quality ?? "good" }, out);
  chain.flush(out);
}

xsHarness.on("parse", (texts: string[]) => texts.map((text) => parseChain(text)));
xsHarness.on("chain", ({ text, rows }: { text: string; rows: Row[] }) => {
  const out: [number, number, string][] = [];
  run(text, rows, (s) => out.push([s.value, s.at, s.quality ?? "good"]));
  return out;
});
xsHarness.on("compress-input", ({ text, rows }: { text: string; rows: Row[] }) => {
  const seen: [number, number][] = [];
  const chain = buildChain(text);
  chain.onCompressInput = (s) => seen.push([s.value, s.at]);
  for (const [value, at, quality] of rows) chain.push({ value: value === null ? Number.NaN : value, at, quality: quality ?? "good" }, () => {});
  chain.flush(() => {});
  return seen;
});
xsHarness.on("count", ({ text, rows }: { text: string; rows: Row[] }) => {
  let n = 0;
  run(text, rows, () => n++);
  return n;
});

/** Chains kept alive for `footprint()`. */
const held: unknown[] = [];
xsHarness.on("hold", ({ texts, rows }: { texts: string[]; rows: Row[] }) => {
  for (const text of texts) {
    const chain = buildChain(text);
    for (const [value, at] of rows) chain.push({ value, at }, () => {});
    held.push(chain);
  }
  return held.length;
});
