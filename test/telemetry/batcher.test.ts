import test from "ava";
import type { Reading } from "../../modules/io/channels.js";
import type { Platform } from "../../modules/platform.js";
import { Batcher } from "../../modules/telemetry/batcher.js";
import { FakeTimers } from "../helpers/fake-timers.js";
import { readingsOf } from "../helpers/reading-rows.js";
import type { ReadingRows } from "../../modules/telemetry/reading-rows.js";
import { randomInt, seededRandom } from "../helpers/seeded-random.js";

/** A batcher on fake time, with every batch it closed and when. */
function setup(options: { batchSize: number; maxAgeMs: number }) {
  const timers = new FakeTimers();
  // The batcher only schedules: a platform of timers is all it needs.
  const platform = { timers, clock: timers } as unknown as Platform;
  const batches: { at: number; readings: Reading[] }[] = [];
  const batcher = new Batcher(platform, options, (rows) => batches.push({ at: timers.monotonic(), readings: readingsOf(rows) }));
  let value = 0;
  const add = () => {
    const reading: Reading = { quality: "good" as const, channel: "temp", unit: "Cel", value: value++, at: timers.monotonic() };
    batcher.add(reading);
    return reading;
  };
  const values = () => batches.map((b) => b.readings.map((r) => r.value));
  return { timers, batcher, batches, add, values };
}

test("a batch closes when it holds batchSize readings, in order, and its age timer goes", (t) => {
  const { timers, batcher, batches, add, values } = setup({ batchSize: 3, maxAgeMs: 1000 });
  add();
  add();
  t.is(batches.length, 0);
  t.is(batcher.pending, 2);
  add();
  t.deepEqual(values(), [[0, 1, 2]]);
  t.is(batcher.pending, 0);
  t.is(timers.pending, 0, "no age timer left behind");
  timers.advance(5000);
  t.is(batches.length, 1, "nothing more closes later");
});

test("a batch closes when its first reading is maxAgeMs old", (t) => {
  const { timers, batches, add, values } = setup({ batchSize: 10, maxAgeMs: 1000 });
  add();
  timers.advance(400);
  add();
  timers.advance(599);
  t.is(batches.length, 0, "999 ms: not yet");
  timers.advance(1);
  t.deepEqual(values(), [[0, 1]]);
  t.is(batches[0].at, 1000, "age counts from the first reading, not the last");
});

test("the next batch's age counts from its own first reading", (t) => {
  const { timers, batches, add } = setup({ batchSize: 2, maxAgeMs: 1000 });
  add();
  add(); // closed by count at 0
  timers.advance(500);
  add(); // a new batch starts at 500
  timers.advance(999);
  t.is(batches.length, 1);
  timers.advance(1);
  t.deepEqual(batches.map((b) => b.at), [0, 1500]);
  timers.advance(300);
  add(); // and after an age close, at 1800
  timers.advance(1000);
  t.deepEqual(batches.map((b) => b.at), [0, 1500, 2800]);
});

test("batchSize 1: every reading is its own batch, no timer", (t) => {
  const { timers, add, values } = setup({ batchSize: 1, maxAgeMs: 1000 });
  add();
  add();
  t.deepEqual(values(), [[0], [1]]);
  t.is(timers.pending, 0);
});

test("flush closes the batch now and cancels its age timer", (t) => {
  const { timers, batcher, batches, add, values } = setup({ batchSize: 10, maxAgeMs: 1000 });
  add();
  timers.advance(100);
  add();
  batcher.flush();
  t.deepEqual(values(), [[0, 1]]);
  t.is(batches[0].at, 100);
  t.is(timers.pending, 0);
  timers.advance(2000);
  t.is(batches.length, 1);
});

test("flush with nothing pending calls nobody", (t) => {
  const { batcher, batches } = setup({ batchSize: 10, maxAgeMs: 1000 });
  batcher.flush();
  batcher.flush();
  t.is(batches.length, 0);
});

test("stop cancels the age timer and keeps what is pending for a final flush", (t) => {
  const { timers, batcher, batches, add, values } = setup({ batchSize: 10, maxAgeMs: 1000 });
  add();
  add();
  batcher.stop();
  t.is(timers.pending, 0);
  timers.advance(10_000);
  t.is(batches.length, 0, "no batch after stop");
  t.is(batcher.pending, 2);
  batcher.flush();
  t.deepEqual(values(), [[0, 1]]);
});

test("stop with nothing pending, twice, is harmless", (t) => {
  const { timers, batcher } = setup({ batchSize: 10, maxAgeMs: 1000 });
  batcher.stop();
  batcher.stop();
  t.is(timers.pending, 0);
});

test("a reading added from inside onBatch starts the next batch", (t) => {
  const timers = new FakeTimers();
  const platform = { timers, clock: timers } as unknown as Platform;
  const batches: number[][] = [];
  let batcher: Batcher | undefined = undefined;
  batcher = new Batcher(platform, { batchSize: 2, maxAgeMs: 1000 }, (rows) => {
    batches.push(readingsOf(rows).map((r) => r.value ?? NaN));
    if (batches.length === 1) batcher!.add({ quality: "good" as const, channel: "x", unit: "", value: 99, at: timers.monotonic() });
  });
  batcher.add({ quality: "good" as const, channel: "x", unit: "", value: 1, at: 0 });
  batcher.add({ quality: "good" as const, channel: "x", unit: "", value: 2, at: 0 });
  t.deepEqual(batches, [[1, 2]]);
  t.is(batcher.pending, 1);
  timers.advance(1000);
  t.deepEqual(batches, [[1, 2], [99]]);
});

test("seeded random run: every reading goes out once, in order; no batch too big or too old", (t) => {
  const random = seededRandom(0xba7c4);
  for (let run = 0; run < 200; run++) {
    const batchSize = 1 + randomInt(random, 8);
    const maxAgeMs = 1 + randomInt(random, 2000);
    const { timers, batcher, batches, add } = setup({ batchSize, maxAgeMs });
    const added: number[] = [];
    const flushedAt = new Set<number>();
    for (let step = 0; step < 200; step++) {
      const pick = random();
      if (pick < 0.5) added.push(add().value);
      else if (pick < 0.95) timers.advance(randomInt(random, maxAgeMs));
      else {
        batcher.flush();
        flushedAt.add(batches.length);
      }
    }
    batcher.flush();
    flushedAt.add(batches.length);
    const where = `run ${run}, batchSize ${batchSize}, maxAgeMs ${maxAgeMs}`;
    t.deepEqual(batches.flatMap((b) => b.readings.map((r) => r.value)), added, where);
    batches.forEach((batch, i) => {
      const age = batch.at - batch.readings[0].at;
      t.true(batch.readings.length >= 1 && batch.readings.length <= batchSize, `${where}: batch ${i} size ${batch.readings.length}`);
      t.true(age <= maxAgeMs, `${where}: batch ${i} age ${age}`);
      // A short batch closed because of its age, or because of a flush.
      if (batch.readings.length < batchSize && !flushedAt.has(i + 1)) t.is(age, maxAgeMs, `${where}: batch ${i} closed early`);
    });
  }
});

/** Bad options → exact RangeError. */
const rangeErrors: { options: { batchSize: number; maxAgeMs: number }; message: string }[] = [
  { options: { batchSize: 0, maxAgeMs: 1000 }, message: "batchSize must be a positive integer, got 0" },
  { options: { batchSize: -1, maxAgeMs: 1000 }, message: "batchSize must be a positive integer, got -1" },
  { options: { batchSize: 2.5, maxAgeMs: 1000 }, message: "batchSize must be a positive integer, got 2.5" },
  { options: { batchSize: NaN, maxAgeMs: 1000 }, message: "batchSize must be a positive integer, got NaN" },
  { options: { batchSize: Infinity, maxAgeMs: 1000 }, message: "batchSize must be a positive integer, got Infinity" },
  { options: { batchSize: 10, maxAgeMs: 0 }, message: "maxAgeMs must be positive, got 0" },
  { options: { batchSize: 10, maxAgeMs: -5 }, message: "maxAgeMs must be positive, got -5" },
  { options: { batchSize: 10, maxAgeMs: NaN }, message: "maxAgeMs must be positive, got NaN" },
];

for (const { options, message } of rangeErrors) {
  test(`Batcher throws RangeError: ${message}`, (t) => {
    const timers = new FakeTimers();
    t.throws(() => new Batcher({ timers } as unknown as Platform, options, () => {}), { instanceOf: RangeError, message });
  });
}

test("several channels: a channel that fills a pack goes alone; count and age close all, in as few packs as fit", (t) => {
  const timers = new FakeTimers();
  const platform = { timers, clock: timers } as unknown as Platform;
  const batches: Reading[][] = [];
  // A pack holds 4 readings.
  const batcher = new Batcher(platform, { batchSize: 9, maxAgeMs: 1000, fits: (rows) => rows.length <= 4 }, (rows) => batches.push(readingsOf(rows)));
  const add = (channel: string, value: number) => batcher.add({ quality: "good", channel, unit: "", value, at: timers.monotonic() });
  add("a", 1);
  add("b", 1);
  for (let v = 2; v <= 5; v++) add("a", v);
  t.deepEqual(batches.map((b) => b.map((r) => `${r.channel}${r.value}`)), [["a1", "a2", "a3", "a4"]], "a's fifth would not fit: a's four go alone, b waits");
  t.is(batcher.pending, 2);
  timers.advance(1000);
  t.deepEqual(batches.slice(1).map((b) => b.map((r) => `${r.channel}${r.value}`)), [["b1", "a5"]], "b's age closes it, a rides along");
});

test("the age close takes the channels that are due, filled up with the next oldest; the others keep waiting", (t) => {
  const timers = new FakeTimers();
  const platform = { timers, clock: timers } as unknown as Platform;
  const batches: { at: number; readings: string[] }[] = [];
  const batcher = new Batcher(platform, { batchSize: 100, maxAgeMs: 1000, fits: (rows) => rows.length <= 3 }, (rows) =>
    batches.push({ at: timers.monotonic(), readings: readingsOf(rows).map((r) => `${r.channel}${r.value}`) }));
  const add = (channel: string, value: number) => batcher.add({ quality: "good", channel, unit: "", value, at: timers.monotonic() });
  add("a", 1);
  timers.advance(300);
  add("b", 1);
  add("b", 2);
  timers.advance(300);
  add("c", 1);
  add("c", 2);
  timers.advance(400);
  t.deepEqual(batches, [{ at: 1000, readings: ["a1", "b1", "b2"] }], "a is due; b (next oldest) fits beside it; c does not and waits");
  timers.advance(599);
  t.is(batches.length, 1);
  timers.advance(1);
  t.deepEqual(batches[1], { at: 1600, readings: ["c1", "c2"] }, "c at its own age");
});

test("seeded random run, several channels: every reading out once, each channel in order, no pack too big, none waits past maxAgeMs", (t) => {
  const random = seededRandom(0xc4a7);
  for (let run = 0; run < 200; run++) {
    const timers = new FakeTimers();
    const platform = { timers, clock: timers } as unknown as Platform;
    const batchSize = 1 + randomInt(random, 30);
    const maxAgeMs = 1 + randomInt(random, 2000);
    const capacity = 1 + randomInt(random, 12);
    const weight = (r: Reading) => 1 + (r.channel.charCodeAt(0) % 3);
    const batches: { at: number; readings: Reading[] }[] = [];
    const batcher = new Batcher(platform, { batchSize, maxAgeMs, fits: (rows) => readingsOf(rows).reduce((n, r) => n + weight(r), 0) <= capacity }, (rows) =>
      batches.push({ at: timers.monotonic(), readings: readingsOf(rows) }));
    const added: Reading[] = [];
    let peak = 0;
    for (let step = 0; step < 300; step++) {
      const pick = random();
      if (pick < 0.6) {
        const reading: Reading = { quality: "good", channel: "abcde"[randomInt(random, 5)], unit: "", value: step, at: timers.monotonic() };
        added.push(reading);
        batcher.add(reading);
        peak = Math.max(peak, batcher.pending);
      } else if (pick < 0.97) timers.advance(randomInt(random, maxAgeMs));
      else batcher.flush();
    }
    batcher.flush();
    const where = `run ${run}, batchSize ${batchSize}, maxAgeMs ${maxAgeMs}, capacity ${capacity}`;
    const out = batches.flatMap((b) => b.readings);
    t.is(out.length, added.length, `${where}: all out`);
    t.deepEqual(out.map((r) => r.value).sort((x, y) => (x ?? 0) - (y ?? 0)), added.map((r) => r.value), `${where}: each once`);
    for (const channel of "abcde") t.deepEqual(out.filter((r) => r.channel === channel).map((r) => r.value), added.filter((r) => r.channel === channel).map((r) => r.value), `${where}: ${channel} in order`);
    t.true(peak < batchSize, `${where}: at most batchSize - 1 wait`);
    for (const [i, batch] of batches.entries()) {
      const size = batch.readings.reduce((n, r) => n + weight(r), 0);
      // A single reading heavier than the capacity still goes (the node counts it as oversize).
      t.true(size <= capacity || batch.readings.length === 1, `${where}: batch ${i} size ${size}`);
      for (const r of batch.readings) t.true(batch.at - r.at <= maxAgeMs, `${where}: batch ${i} waited ${batch.at - r.at} ms`);
    }
  }
});

test("fits is asked about a channel's waiting rows plus the new one in place (the same rows, one longer each time: no copy), and a no takes the new one back", (t) => {
  const timers = new FakeTimers();
  const platform = { timers, clock: timers } as unknown as Platform;
  const asked: { rows: ReadingRows; length: number; last: number }[] = [];
  const batches: number[][] = [];
  const batcher = new Batcher(platform, { batchSize: 1000, maxAgeMs: 600_000, fits: (rows) => {
    asked.push({ rows, length: rows.length, last: rows.value(rows.length - 1) });
    return rows.length <= 100;
  } }, (rows) => batches.push(readingsOf(rows).map((r) => r.value ?? NaN)));
  for (let v = 0; v < 150; v++) batcher.add({ quality: "good", channel: "p", unit: "Pa", value: v, at: timers.monotonic() });
  t.is(asked.length, 149, "asked before every reading but the first of a pack");
  t.true(asked.slice(0, 100).every((a) => a.rows === asked[0].rows), "the same rows each time");
  t.deepEqual(asked.slice(0, 100).map((a) => [a.length, a.last]), Array.from({ length: 100 }, (_, i) => [i + 2, i + 1]), "waiting rows plus the new one");
  t.deepEqual(batches, [Array.from({ length: 100 }, (_, i) => i)], "the 101st did not fit: the 100 went without it");
  t.is(batcher.pending, 50);
  batcher.flush();
  t.deepEqual(batches[1], Array.from({ length: 50 }, (_, i) => 100 + i));
});
