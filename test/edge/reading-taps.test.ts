/** The taps observers see (issue 10, dashboard): raw, filtered (entering compress), reported; FilterChain.onCompressInput. */
import test from "ava";
import { ConfigService } from "../../modules/config/config-service.js";
import { buildChain } from "../../modules/edge/filter-chain.js";
import type { Sample } from "../../modules/edge/filter.js";
import { ReadingTaps, TAP_OBSERVERS_MAX, type TappedReading } from "../../modules/edge/reading-taps.js";
import { goodReading } from "../../modules/io/reading.js";
import { decodeTelemetryPack } from "../../modules/telemetry/telemetry-pack.js";
import { MemoryStorage } from "../helpers/memory-platform.js";
import { bootNode, newTrace } from "../helpers/node-rig.js";
import { seededRandom } from "../helpers/seeded-random.js";

/** What enters the chain's last compress stage, beside what the stages before it give out (the reference). */
const compressInputs: [chain: string, before: string | undefined][] = [
  ["compress(0.5)", undefined], // compress first: its input is the reading itself
  ["median(3) | compress(0.5)", "median(3)"],
  ["ema(0.3) | compress(0.1) | heartbeat(30)", "ema(0.3)"],
  ["compress(2) | calibrate(2, 1) | compress(0.5)", "compress(2) | calibrate(2, 1)"], // the last compress
];
for (const [text, before] of compressInputs) {
  test(`onCompressInput of "${text}" sees what ${before ?? "the chain"} gives out`, (t) => {
    const random = seededRandom(11);
    const rows = Array.from({ length: 400 }, (_, i) => ({ value: Math.sin(i / 20) * 5 + random() * 2, at: i * 1000 }));
    const seen: Sample[] = [];
    const chain = buildChain(text);
    chain.onCompressInput = (s) => seen.push({ value: s.value, at: s.at });
    const reference: Sample[] = [];
    const prefix = before === undefined ? undefined : buildChain(before);
    for (const row of rows) {
      chain.push({ ...row, quality: "good" }, () => {});
      if (prefix) prefix.push({ ...row, quality: "good" }, (s) => reference.push({ value: s.value, at: s.at }));
      else reference.push(row);
    }
    t.true(seen.length > 0);
    t.deepEqual(seen, reference.slice(0, seen.length));
  });
}

test("onCompressInput: never called without compress; an observer that throws loses no reading and counts no chain error", (t) => {
  const plain = buildChain("median(3) | ema(0.5)");
  let calls = 0;
  plain.onCompressInput = () => calls++;
  for (let i = 0; i < 10; i++) plain.push({ value: i, at: i * 1000 }, () => {});
  t.is(calls, 0);

  const out: number[] = [];
  const reference: number[] = [];
  const chain = buildChain("compress(0.5)");
  const quiet = buildChain("compress(0.5)");
  chain.onCompressInput = () => {
    throw new Error("observer fault");
  };
  for (let i = 0; i < 50; i++) {
    chain.push({ value: (i % 7) * 1.5, at: i * 1000 }, (s) => out.push(s.value));
    quiet.push({ value: (i % 7) * 1.5, at: i * 1000 }, (s) => reference.push(s.value));
  }
  t.deepEqual(out, reference);
  t.is(chain.stats.errors, 0);
});

test("ReadingTaps: time as packs stamp it (epoch, or uptime without a clock), at most TAP_OBSERVERS_MAX observers, a throwing one is reported and skipped", (t) => {
  let epoch: number | undefined = 1_700_000_000_000;
  const errors: unknown[] = [];
  const taps = new ReadingTaps(() => epoch, (e) => errors.push(e));
  const seen: TappedReading[] = [];
  taps.emit("raw", goodReading("temp", "Cel", 1, 500)); // no observer: nothing to do
  taps.observe(() => {
    throw new Error("x");
  });
  const off = taps.observe((r) => seen.push(r));
  taps.emit("raw", goodReading("temp", "Cel", 21.5, 2500));
  epoch = undefined;
  taps.emit("reported", goodReading("temp", "Cel", 21.5, 2500));
  t.deepEqual(seen.map((r) => [r.tap, r.time, r.reading.value]), [["raw", 1_700_000_002.5, 21.5], ["reported", 2.5, 21.5]]);
  t.is(errors.length, 2);
  off();
  taps.emit("raw", goodReading("temp", "Cel", 1, 3000));
  t.is(seen.length, 2);
  for (let i = 0; i < TAP_OBSERVERS_MAX - 1; i++) taps.observe(() => {});
  t.throws(() => taps.observe(() => {}), { instanceOf: RangeError, message: `at most ${TAP_OBSERVERS_MAX} observers` });
});

test("a booted node's observer sees raw, filtered and reported readings; the reported ones are what the packs carry", async (t) => {
  const storage = new MemoryStorage();
  const config = new ConfigService(storage, "test-node");
  config.set("ch.temp.filter", "median(3) | compress(0.05)");
  config.save();
  const trace = newTrace();
  const node = bootNode(storage, trace);
  const seen: TappedReading[] = [];
  node.node.observe((r) => seen.push(r));
  await node.run(20_000);
  await node.stop();
  const of = (tap: string, channel: string) => seen.filter((r) => r.tap === tap && r.reading.channel === channel);
  t.true(of("raw", "temp").length >= 15);
  t.is(of("filtered", "temp").length, of("raw", "temp").length, "every temp reading enters compress (median(3) passes one per reading)");
  t.true(of("reported", "temp").length >= 2);
  t.true(of("reported", "temp").length < of("raw", "temp").length, "compress reports fewer points");
  t.is(of("filtered", "rh").length, 0, "rh has no compress");
  t.is(of("reported", "rh").length, of("raw", "rh").length, "rh without a chain reports every reading");
  // The packs carry exactly the reported temp points, at the times the tap gave (bt + t, to the pack's precision),
  // each value within the point's reporting tolerance (compress's e / 64: the pack may send a shorter number).
  const packed = trace.published.filter((p) => p.topic.endsWith("/tele")).map((p) => decodeTelemetryPack(p.payload))
    .flatMap((pack) => (typeof pack === "string" ? [] : pack.readings.filter((r) => r.n === "temp").map((r) => ({ at: Math.round((pack.bt + r.t) * 1000), v: r.v! }))));
  const reported = of("reported", "temp");
  t.deepEqual(packed.map((p) => p.at), reported.map((r) => Math.round(r.time * 1000)));
  reported.forEach((r, i) => {
    const tolerance = r.reading.tolerance ?? 0;
    t.true(tolerance > 0 && tolerance <= 0.05 / 64 + 1e-12, `point ${i}: tolerance ${tolerance}`);
    t.true(Math.abs(packed[i].v - r.reading.value!) <= tolerance, `point ${i}: ${packed[i].v} within ${tolerance} of ${r.reading.value}`);
  });
});
