/**
 * Compact packs (issue 12 item 4) read by an independent SenML reader:
 * cbor-x's decoder and the RFC 8428 section 4.6 resolution written here
 * (base name, time, unit and value carry to later records until
 * redefined; name = bn + n, time = bt + t, value = bv + v), nothing of the
 * firmware's decoder. Data: SKAB-shaped synthetic recordings (seeded), with
 * a bad and an uncertain stretch, through the firmware's pack path
 * (test/bench/wire-bytes.ts: compress(5 % of range), Batcher, PackMaker).
 */
import test from "ava";
import { Decoder } from "cbor-x";
import { Counters } from "../../modules/counters.js";
import type { Reading } from "../../modules/io/channels.js";
import { Logger } from "../../modules/log.js";
import { Outbox } from "../../modules/telemetry/outbox.js";
import { preparePack } from "../../modules/telemetry/telemetry-pack.js";
import { sixDigitTolerance } from "../../modules/telemetry/report-value.js";
import { publishBytes } from "../bench/wire-bytes.js";
import { BOOT_ID, EPOCH_AT_BOOT, firmwareRun, NODE_ID, TELE_TOPIC, type PackPolicy } from "../helpers/pack-path.js";
import { syntheticSkab } from "../bench/skab.js";
import { memoryPlatform, MemoryStorage } from "../helpers/memory-platform.js";
import { seriesError } from "../helpers/series-check.js";

interface Resolved {
  name: string;
  time: number;
  value?: number;
  vs?: string;
  vb?: boolean;
}

const decoder = new Decoder({ mapsAsObjects: false, useRecords: false } as ConstructorParameters<typeof Decoder>[0]);

/** RFC 8428 section 4.6, on cbor-x's maps with the integer labels of section 6. */
function resolve(bytes: Uint8Array): Resolved[] {
  const pack = decoder.decode(bytes) as Map<number, unknown>[];
  let bn = "";
  let bt = 0;
  let bv = 0;
  return pack.map((r) => {
    if (r.has(-2)) bn = r.get(-2) as string;
    if (r.has(-3)) bt = r.get(-3) as number;
    if (r.has(-5)) bv = r.get(-5) as number;
    const out: Resolved = { name: bn + ((r.get(0) as string | undefined) ?? ""), time: bt + ((r.get(6) as number | undefined) ?? 0) };
    if (r.has(2)) out.value = bv + (r.get(2) as number);
    if (r.has(3)) out.vs = r.get(3) as string;
    if (r.has(4)) out.vb = r.get(4) as boolean;
    return out;
  });
}

/** 30 min of the SKAB shape; `current` bad (nack) for 5 s, `flow` uncertain (over_range) for 11 s. */
function recording(): Reading[][] {
  return syntheticSkab(1800).map((row, second) =>
    row.map((r): Reading => {
      if (r.channel === "current" && second >= 100 && second < 105) return { channel: r.channel, unit: r.unit, at: r.at, quality: "bad", reason: "nack" };
      if (r.channel === "flow" && second >= 200 && second <= 210) return { ...r, quality: "uncertain", reason: "over_range", value: r.value as number };
      return r;
    }),
  );
}

const FAULTY = new Set(["current", "flow"]);
const POLICIES: PackPolicy[] = [{ batchSize: 10, maxAgeMs: 10_000 }, { batchSize: 1000, maxAgeMs: 600_000 }];

/** Every channel record of `packs`, read independently: channel, ms since boot, value or quality. */
function readAll(packs: readonly Uint8Array[]) {
  const prefix = `${NODE_ID}:`;
  const points: { channel: string; at: number; value?: number; quality?: string }[] = [];
  for (const bytes of packs) {
    for (const r of resolve(bytes)) {
      if (!r.name.startsWith(prefix)) throw new Error(`record outside the node: ${r.name}`);
      const local = r.name.slice(prefix.length);
      const at = (r.time * 1000 - EPOCH_AT_BOOT);
      if (local.startsWith("_q.")) points.push({ channel: local.slice(3), at, quality: r.vs });
      else if (!local.startsWith("_")) points.push({ channel: local, at, value: r.value });
    }
  }
  return points;
}

for (const policy of POLICIES) {
  const label = `${policy.batchSize} readings / ${policy.maxAgeMs / 1000} s`;

  test(`${label}: the packs read back, independently, as exactly the points emitted, and every sample within e of them`, (t) => {
    const rows = recording();
    const run = firmwareRun(rows, policy);
    t.true(run.packs.length > 1, "several packs: boundaries are crossed");
    for (const [i, bytes] of run.packs.entries()) t.true(publishBytes(TELE_TOPIC, bytes, 1) + 24 <= 1024, `pack ${i + 1}: its PUBLISH fits 1,024 B with room for _hist`);
    const read = readAll(run.packs);
    const emitted = run.points.filter((p) => p.quality !== "good" || p.value !== undefined);
    t.is(read.filter((p) => p.value !== undefined).length, emitted.filter((p) => p.quality !== "bad").length, "one value record per reported point, none extra");
    t.is(read.filter((p) => p.quality !== undefined).length, emitted.filter((p) => p.quality !== "good").length, "one _q record per point not good");
    // Match each emitted point to the record of its channel and time (to the microsecond).
    const byKey = new Map<string, (typeof read)[number][]>();
    for (const p of read) byKey.set(`${p.channel}@${Math.round(p.at * 1000)}`, [...(byKey.get(`${p.channel}@${Math.round(p.at * 1000)}`) ?? []), p]);
    for (const point of emitted) {
      const found = byKey.get(`${point.channel}@${Math.round(point.at * 1000)}`) ?? [];
      const where = `${point.channel} at ${point.at} ms`;
      if (point.quality === "bad") {
        t.deepEqual(found.map((p) => p.quality), ["bad:nack"], `${where}: only its _q record, no number`);
        continue;
      }
      const value = found.find((p) => p.value !== undefined)?.value;
      if (value === undefined) return t.fail(`${where}: not in any pack`);
      const tolerance = point.tolerance ?? sixDigitTolerance(Number(point.value.toPrecision(6))) + Math.abs(point.value - Number(point.value.toPrecision(6)));
      t.true(Math.abs(value - point.value) <= tolerance, `${where}: ${value} within ${tolerance} of ${point.value}`);
      if (point.quality === "uncertain") t.true(found.some((p) => p.quality === "uncertain:over_range"), `${where}: its _q record`);
    }
    // The strict bound, on what a receiver reads: points at their emitted times, with the values read.
    for (const channel of new Set(run.points.map((p) => p.channel))) {
      if (FAULTY.has(channel)) continue;
      const e = run.bounds.get(channel)!;
      const reported = emitted.filter((p) => p.channel === channel).map((p) => ({ at: p.at, value: byKey.get(`${channel}@${Math.round(p.at * 1000)}`)!.find((r) => r.value !== undefined)!.value! }));
      const samples = rows.map((row) => row.find((r) => r.channel === channel)!).map((r) => ({ at: r.at, value: r.value as number }));
      const error = seriesError(samples, reported);
      t.is(error.uncovered, 0, `${channel}: every sample covered`);
      t.true(error.max <= e, `${channel}: max error ${error.max / e} e`);
    }
  });
}

test("after an outbox replay (stored offline, a reboot, then sent), the packs read the same, marked _hist, and still fit", (t) => {
  const run = firmwareRun(recording(), { batchSize: 1000, maxAgeMs: 600_000 });
  const storage = new MemoryStorage();
  const mp = memoryPlatform({ storage });
  let now = 0;
  const first = new Outbox(storage, () => now, new Counters(), new Logger(mp.platform));
  for (const bytes of run.packs) t.true(first.push(bytes, true));
  first.persist();
  // A reboot: a new outbox on the same flash; the running boot is another one, its clock synchronised.
  const outbox = new Outbox(storage, () => now, new Counters(), new Logger(mp.platform));
  const replayed: Uint8Array[] = [];
  for (let id = 1; ; id++) {
    const entry = outbox.next();
    if (!entry) break;
    replayed.push(preparePack(entry.bytes, { historical: entry.historical, bootId: "0therb00", epochAtBoot: EPOCH_AT_BOOT + 3_600_000 }));
    outbox.sent(entry, id);
    t.true(outbox.ack(id));
    now += 100;
  }
  t.is(replayed.length, run.packs.length, "every pack came back");
  t.deepEqual(readAll(replayed), readAll(run.packs), "the same points, values and qualities");
  for (const [i, bytes] of replayed.entries()) {
    const records = resolve(bytes);
    t.true(records.some((r) => r.name === `${NODE_ID}:_hist` && r.vb === true), `pack ${i + 1}: _hist`);
    t.is(records.find((r) => r.name === `${NODE_ID}:_seq`)?.value, i + 1, `pack ${i + 1}: its seq, in order`);
    t.is(records.find((r) => r.name === `${NODE_ID}:_boot`)?.vs, BOOT_ID, `pack ${i + 1}: the boot that made it`);
    t.true(publishBytes(TELE_TOPIC, bytes, 1) <= 1024, `pack ${i + 1}: within the packet limit`);
  }
});
