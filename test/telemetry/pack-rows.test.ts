/**
 * The pack encoder reads the Batcher's columns (ReadingRows) and streams
 * its records; the bytes must be those of the encoder it replaced, which
 * built a record object per reading from a `Reading[]`
 * (test/helpers/telemetry-pack-v1.ts), for the same readings: seeded random
 * batches with several channels, quality changes (uncertain, bad), compress
 * tolerances, channels without a unit, one or two readings of a channel,
 * time spans below and above the 23 s and 47 s windows, every header variant;
 * as one channel's columns and as columns joined, in join and in time order.
 */
import test from "ava";
import type { Reading } from "../../modules/io/reading.js";
import { ChannelColumns, COLUMNS_STEP } from "../../modules/telemetry/channel-columns.js";
import { JoinedRows } from "../../modules/telemetry/joined-rows.js";
import { encodeTelemetryPack, type PackHeader } from "../../modules/telemetry/telemetry-pack.js";
import { readingsOf } from "../helpers/reading-rows.js";
import { randomInt, seededRandom } from "../helpers/seeded-random.js";
import { encodeTelemetryPackV1 } from "../helpers/telemetry-pack-v1.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const CHANNELS: [string, string][] = [["pressure", "Pa"], ["flow", "l/min"], ["temp", "Cel"], ["col", ""], ["vibration_axial_rms", "m/s2"], ["rh", "%RH"]];

/** One channel's readings: runs of qualities, a compress tolerance on some, times in ms with fractions now and then. */
function channelReadings(random: () => number, channel: string, unit: string, count: number, start: number): Reading[] {
  const out: Reading[] = [];
  let at = start;
  const step = [250, 1000, 5000, 30_000][randomInt(random, 4)];
  const tolerance = random() < 0.5 ? 0.05 * random() : undefined;
  let quality: Reading["quality"] = "good";
  let level = (random() - 0.5) * 10 ** randomInt(random, 6);
  for (let i = 0; i < count; i++) {
    at += step * (1 + randomInt(random, 3)) + (random() < 0.1 ? random() : 0);
    if (random() < 0.08) quality = (["good", "uncertain", "bad"] as const)[randomInt(random, 3)];
    level += (random() - 0.5) * Math.abs(level || 1) * 0.1;
    const value = random() < 0.2 ? Math.round(level) : level;
    if (quality === "bad") out.push({ channel, unit, at, quality, reason: "nack" });
    else if (quality === "uncertain") out.push({ channel, unit, at, quality, reason: random() < 0.5 ? "over_range" : "stale", value, ...(tolerance ? { tolerance } : {}) });
    else out.push({ channel, unit, at, quality, value, ...(tolerance ? { tolerance } : {}) });
  }
  return out;
}

function header(random: () => number): PackHeader {
  return {
    nodeId: ["pump-7", "n", "a-rather-long-node-name"][randomInt(random, 3)],
    bootId: "9f3a01c2",
    seq: 1 + randomInt(random, 2 ** 31),
    epochAtBoot: random() < 0.3 ? undefined : Date.UTC(2026, 0, 1) + randomInt(random, 1000) + (random() < 0.5 ? 0.25 : 0),
    historical: random() < 0.2,
  };
}

test("seeded: the encoder on columns writes the bytes of the reference encoder on the same readings (one channel's columns, joined in order, joined by time)", (t) => {
  const random = seededRandom(0xc01);
  let cases = 0;
  for (let run = 0; run < 400; run++) {
    const h = header(random);
    const parts: ChannelColumns[] = [];
    const perChannel: Reading[][] = [];
    const channels = 1 + randomInt(random, CHANNELS.length);
    const start = randomInt(random, 100_000);
    for (let c = 0; c < channels; c++) {
      const [name, unit] = CHANNELS[c];
      // 1 or 2 readings now and then: the named-records case; up to a few hundred: columns that grew.
      const count = random() < 0.2 ? 1 + randomInt(random, 2) : 1 + randomInt(random, random() < 0.2 ? 400 : 60);
      const readings = channelReadings(random, name, unit, count, start);
      const columns = new ChannelColumns(run * 100 + c, 1 + randomInt(random, 16));
      for (const r of readings) columns.push(r);
      parts.push(columns);
      perChannel.push(readings);
    }
    const where = `run ${run}`;
    t.is(hex(encodeTelemetryPack(h, parts[0])), hex(encodeTelemetryPackV1(h, perChannel[0])), `${where}: one channel's columns`);
    const joined = new JoinedRows(run);
    for (const part of parts) joined.join(part);
    const concatenated = perChannel.flat();
    t.is(hex(encodeTelemetryPack(h, joined)), hex(encodeTelemetryPackV1(h, concatenated)), `${where}: joined in order`);
    const sorted = concatenated.slice().sort((a, b) => a.at - b.at);
    joined.sortByTime();
    t.deepEqual(readingsOf(joined), sorted, `${where}: time order, stable`);
    t.is(hex(encodeTelemetryPack(h, joined)), hex(encodeTelemetryPackV1(h, sorted)), `${where}: joined by time`);
    cases += 3;
  }
  t.is(cases, 1200);
});

test("ChannelColumns: a run of equal metadata shares one record; pop takes back the last row (and its run); clear keeps the capacity, grown in steps", (t) => {
  const columns = new ChannelColumns(1, 4);
  const good = (value: number, at: number): Reading => ({ channel: "p", unit: "Pa", at, quality: "good", value, tolerance: 0.5 });
  for (let i = 0; i < 3; i++) columns.push(good(i, i * 1000));
  columns.push({ channel: "p", unit: "Pa", at: 3000, quality: "bad", reason: "nack" });
  columns.push(good(4, 4000));
  t.is(columns.meta(0), columns.meta(2), "one record for the run");
  t.not(columns.meta(2), columns.meta(4), "the bad reading ended the run; the next good one starts another");
  t.deepEqual(columns.meta(3), { channel: "p", unit: "Pa", quality: "bad", reason: "nack", tolerance: undefined });
  t.true(Number.isNaN(columns.value(3)), "a bad reading has no value");
  t.is(columns.capacity, 4 + COLUMNS_STEP, "grew by one step at the fifth row");
  columns.pop();
  t.is(columns.length, 4);
  columns.push(good(5, 5000));
  t.is(columns.meta(4).quality, "good");
  t.deepEqual(readingsOf(columns).map((r) => r.value), [0, 1, 2, undefined, 5]);
  columns.clear(2);
  t.is(columns.length, 0);
  t.is(columns.serial, 2);
  t.is(columns.capacity, 4 + COLUMNS_STEP, "capacity kept for the next pack");
  columns.push(good(7, 7000));
  t.deepEqual(readingsOf(columns), [good(7, 7000)]);
});
