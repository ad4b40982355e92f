import test from "ava";
import type { Filter, Sample } from "../../modules/edge/filter.js";
import { buildChain, FilterChain } from "../../modules/edge/filter-chain.js";
import { seededRandom } from "../helpers/seeded-random.js";
import { seriesError } from "../helpers/series-check.js";

const collect = (chain: FilterChain, inputs: Sample[], flush = true): Sample[] => {
  const out: Sample[] = [];
  for (const s of inputs) chain.push(s, (o) => out.push(o));
  if (flush) chain.flush((o) => out.push(o));
  return out;
};

test("an empty chain reports every reading as it is", (t) => {
  const inputs = [{ value: 1, at: 0 }, { value: 2, at: 1000, quality: "uncertain" as const }];
  t.deepEqual(collect(buildChain(""), inputs), inputs);
});

test("a good reading with a non-finite value enters the chain as bad", (t) => {
  t.deepEqual(collect(buildChain(""), [{ value: Number.POSITIVE_INFINITY, at: 0 }]), [{ value: Number.POSITIVE_INFINITY, at: 0, quality: "bad", reason: "not a finite number" }]);
});

test("stages run in order: calibrate then clamp differs from clamp then calibrate", (t) => {
  const inputs = [{ value: 10, at: 0 }];
  t.deepEqual(collect(buildChain("calibrate(2, 0) | clamp(0, 15)"), inputs).map((s) => s.value), [15]);
  t.deepEqual(collect(buildChain("clamp(0, 15) | calibrate(2, 0)"), inputs).map((s) => s.value), [20]);
});

test("heartbeat(10) after a deadband reports the held reading once 10 s pass without output", (t) => {
  const inputs = Array.from({ length: 25 }, (_, i) => ({ value: 5 + i * 0.01, at: i * 1000 }));
  const out = collect(buildChain("deadband(1) | heartbeat(10)"), inputs, false);
  t.deepEqual(out.map((s) => s.at), [0, 10000, 20000]);
});

test("heartbeat after compress keeps the strict bound and reports at least every period", (t) => {
  const random = seededRandom(5);
  const inputs = Array.from({ length: 2000 }, (_, i) => ({ value: Math.sin(i / 50) * 10 + (random() - 0.5), at: i * 1000 }));
  const chain = buildChain("compress(0.5) | heartbeat(30)");
  const out: Sample[] = [];
  let worst = 0;
  for (const s of inputs) {
    chain.push(s, (o) => out.push(o));
    worst = Math.max(worst, s.at - (out.at(-1)?.at ?? 0));
  }
  chain.flush((o) => out.push(o));
  t.true(seriesError(inputs, out).max <= 0.5 * (1 + 1e-9));
  t.true(worst <= 30_000, `longest stretch the reported series lags behind: ${worst} ms`);
});

test("a stage that throws is counted and nothing reaches the caller's loop", (t) => {
  const broken: Filter = { push: () => { throw new Error("defect"); }, flush: () => { throw new Error("defect"); } };
  const chain = new FilterChain([broken]);
  t.notThrows(() => chain.push({ value: 1, at: 0 }, () => {}));
  t.notThrows(() => chain.flush(() => {}));
  t.is(chain.stats.errors, 2);
});

test("compressE is the e of the chain's compress stage", (t) => {
  t.is(buildChain("median(3) | compress(0.25, 60)").compressE, 0.25);
  t.is(buildChain("median(3)").compressE, undefined);
});

test("stages that emit several readings each: the chain hands them on as nesting each stage's emit in the next would (seeded)", (t) => {
  // compress emits two points at a jump and reports on flush; the stages around it change values.
  const text = "calibrate(2, 1) | compress(0.3, 20) | calibrate(0.5, 0) | compress(0.2)";
  const random = seededRandom(11);
  const inputs: Sample[] = [];
  let value = 0;
  for (let i = 0; i < 3000; i++) {
    value += random() < 0.02 ? (random() - 0.5) * 20 : (random() - 0.5) * 0.4;
    inputs.push(random() < 0.01 ? { value, at: i * 1000, quality: "uncertain" } : { value, at: i * 1000 });
  }
  const reference = buildChain(text).stages;
  const expected: Sample[] = [];
  const emits: ((s: Sample) => void)[] = [];
  for (let i = reference.length - 1; i >= 0; i--) emits[i] = i + 1 === reference.length ? (s) => expected.push(s) : (s) => reference[i + 1].push(s, emits[i + 1]);
  for (const s of inputs) reference[0].push(s, emits[0]);
  for (let i = 0; i < reference.length; i++) reference[i].flush(emits[i]);
  t.true(expected.length > 50);
  t.deepEqual(collect(buildChain(text), inputs), expected);
});
