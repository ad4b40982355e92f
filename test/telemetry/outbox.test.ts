import test from "ava";
import { Counters } from "../../modules/counters.js";
import { Logger } from "../../modules/log.js";
import { Outbox, type OutboxOptions } from "../../modules/telemetry/outbox.js";
import { decodeSegment, encodeSegment, segmentKey } from "../../modules/telemetry/outbox-format.js";
import { memoryPlatform, MemoryStorage } from "../helpers/memory-platform.js";
import { seededRandom } from "../helpers/seeded-random.js";

/** A message that says which one it is: 4 bytes of index, then filler. */
function message(i: number, size = 100): Uint8Array {
  const bytes = new Uint8Array(size).fill(i & 0xff);
  new DataView(bytes.buffer).setUint32(0, i);
  return bytes;
}
const indexOf = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset).getUint32(0);

function rig(storage = new MemoryStorage(), options: Partial<OutboxOptions> = {}) {
  const mp = memoryPlatform({ storage });
  let now = 0;
  const counters = new Counters();
  const outbox = new Outbox(storage, () => now, counters, new Logger(mp.platform), { flushMs: 1000, offlineFlushMs: 1000, indexWriteMs: 1000, ...options });
  return { outbox, counters, storage, mp, advance: (ms: number) => { now += ms; outbox.tick(); } };
}

/** Sends everything sendable (ids from 1) and returns the message indexes in send order. */
function drain(outbox: Outbox, firstId = 1, max = Infinity): { ids: number[]; order: number[] } {
  const ids: number[] = [];
  const order: number[] = [];
  for (let e = outbox.next(); e && ids.length < max; e = outbox.next()) {
    outbox.sent(e, firstId + ids.length);
    ids.push(firstId + ids.length);
    order.push(indexOf(e.bytes));
  }
  return { ids, order };
}

test("a healthy link never writes flash: messages acked before flushMs stay in RAM", (t) => {
  const { outbox, storage, advance } = rig();
  for (let i = 0; i < 20; i++) {
    outbox.push(message(i), false);
    const { ids } = drain(outbox);
    for (const id of ids) t.true(outbox.ack(id));
    advance(500);
  }
  t.is(outbox.depth, 0);
  t.is(storage.keys().filter((k) => k.startsWith("ob.")).length, 0);
});

test("messages waiting longer than flushMs go to one flash segment and survive a reboot, in order, as historical", (t) => {
  const storage = new MemoryStorage();
  const first = rig(storage);
  for (let i = 0; i < 10; i++) first.outbox.push(message(i), false);
  first.advance(999);
  t.deepEqual(storage.keys().filter((k) => k.startsWith("ob.")), [], "not before flushMs");
  first.advance(1);
  t.deepEqual(storage.keys().filter((k) => /^ob\.\d/.test(k)), ["ob.0"]);
  t.is(first.outbox.unpersisted, 0);
  const second = rig(storage);
  t.is(second.outbox.depth, 10);
  const entries = [];
  for (let e = second.outbox.next(); e; e = second.outbox.next()) { entries.push(e); second.outbox.sent(e, entries.length); }
  t.deepEqual(entries.map((e) => indexOf(e.bytes)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  t.true(entries.every((e) => e.historical));
});

test("a message leaves only on its PUBACK; unacked in-flight messages are sent again after a reconnect", (t) => {
  const { outbox } = rig();
  for (let i = 0; i < 5; i++) outbox.push(message(i), false);
  const sent = drain(outbox);
  t.deepEqual(sent.order, [0, 1, 2, 3, 4]);
  t.true(outbox.ack(sent.ids[0]));
  t.true(outbox.ack(sent.ids[1]));
  t.false(outbox.ack(999), "an unknown packet id changes nothing");
  outbox.requeueInFlight();
  const again = drain(outbox, 100);
  t.deepEqual(again.order, [2, 3, 4], "oldest first, acked ones gone");
  t.is(outbox.depth, 3);
});

test("acknowledged messages of a persisted segment are not replayed after a reboot (index A/B, generation)", (t) => {
  const storage = new MemoryStorage();
  const first = rig(storage);
  for (let i = 0; i < 8; i++) first.outbox.push(message(i), false);
  first.advance(1000); // -> ob.0
  const { ids } = drain(first.outbox, 1, 5);
  for (const id of ids) first.outbox.ack(id);
  first.advance(1000); // index written
  t.true(storage.keys().includes("ob.ia") || storage.keys().includes("ob.ib"));
  const second = rig(storage);
  t.is(second.outbox.depth, 3);
  t.deepEqual(drain(second.outbox).order, [5, 6, 7]);
});

test("a fully acknowledged segment is deleted from flash", (t) => {
  const { outbox, storage, advance } = rig();
  for (let i = 0; i < 4; i++) outbox.push(message(i), false);
  advance(1000);
  t.true(storage.keys().includes("ob.0"));
  for (const id of drain(outbox).ids) outbox.ack(id);
  t.false(storage.keys().includes("ob.0"));
  t.is(outbox.depth, 0);
});

test("a torn segment is detected by its CRC, skipped and counted; the others are replayed", (t) => {
  const storage = new MemoryStorage();
  const first = rig(storage);
  for (let seg = 0; seg < 3; seg++) {
    // 3 × 1,300 bytes fill a segment: the next message closes it (smaller ones would top up one segment).
    for (let i = 0; i < 3; i++) first.outbox.push(message(seg * 10 + i, 1300), false);
    first.advance(1000);
  }
  t.deepEqual(storage.keys().filter((k) => /^ob\.\d/.test(k)), ["ob.0", "ob.1", "ob.2"]);
  const torn = storage.map.get("ob.1")!;
  storage.map.set("ob.1", torn.slice(0, torn.length - 50)); // power failed half-way through the write
  const second = rig(storage);
  t.is(second.counters.get("outbox_torn"), 1);
  t.deepEqual(drain(second.outbox).order, [0, 1, 2, 20, 21, 22]);
  t.false(storage.keys().includes("ob.1"));
});

test("a torn index write falls back to the other slot: at worst acknowledged messages come again, never a crash", (t) => {
  const storage = new MemoryStorage();
  const first = rig(storage);
  for (let i = 0; i < 6; i++) first.outbox.push(message(i), false);
  first.advance(1000);
  const sent = drain(first.outbox);
  first.outbox.ack(sent.ids[0]);
  first.advance(1000); // index generation 1: skip 1
  first.outbox.ack(sent.ids[1]);
  storage.beforeWrite = (key, value) => (key.startsWith("ob.i") ? value.slice(0, 7) : undefined);
  first.advance(1000); // index generation 2 is torn
  const second = rig(storage);
  t.deepEqual(drain(second.outbox).order, [1, 2, 3, 4, 5], "message 1 comes again: a duplicate the receiver sees by seq");
});

test("when flash is full the oldest segment is dropped and every lost message is counted", (t) => {
  const { outbox, counters, storage, advance } = rig(new MemoryStorage(), { maxSegments: 3 });
  for (let seg = 0; seg < 5; seg++) {
    for (let i = 0; i < 4; i++) outbox.push(message(seg * 10 + i, 990), false); // 4 × 990 bytes fill a segment
    advance(1000);
  }
  t.is(counters.get("outbox_dropped"), 8);
  t.deepEqual(storage.keys().filter((k) => /^ob\.\d/.test(k)), ["ob.2", "ob.3", "ob.4"]);
  t.deepEqual(drain(outbox).order, [20, 21, 22, 23, 30, 31, 32, 33, 40, 41, 42, 43]);
});

test("a tail bigger than one storage value is split into segments of at most 4,000 bytes", (t) => {
  const { outbox, storage } = rig();
  for (let i = 0; i < 30; i++) outbox.push(message(i, 500), false);
  for (const key of storage.keys().filter((k) => /^ob\.\d/.test(k))) t.true(storage.map.get(key)!.length <= 4000);
  t.true(storage.keys().filter((k) => /^ob\.\d/.test(k)).length >= 3);
  t.deepEqual(drain(outbox).order, [...Array(30).keys()]);
});

test("a failing flash is counted, messages stay in RAM (bounded) and are still sent", (t) => {
  const storage = new MemoryStorage();
  storage.beforeWrite = () => { throw new Error("flash worn out"); };
  const { outbox, counters, advance } = rig(storage);
  for (let i = 0; i < 40; i++) outbox.push(message(i, 500), false);
  advance(1000);
  t.true(counters.get("outbox_flash_errors") > 0);
  t.true(counters.get("outbox_dropped") > 0, "RAM is bounded: the oldest go, counted");
  const { order } = drain(outbox);
  t.is(order.length + counters.get("outbox_dropped"), 40, "every message is either queued or counted as dropped");
  t.deepEqual(order, [...order].sort((a, b) => a - b));
});

test("a message bigger than a segment is rejected and counted, nothing else changes", (t) => {
  const { outbox, counters } = rig();
  t.false(outbox.push(new Uint8Array(3990), false));
  t.is(counters.get("outbox_rejected"), 1);
  t.is(outbox.depth, 0);
});

test("decodeSegment never throws on random or truncated bytes (seeded)", (t) => {
  const random = seededRandom(42);
  const good = encodeSegment(7, [message(1), message(2, 33)]);
  t.deepEqual((decodeSegment(7, good) as Uint8Array[]).map(indexOf), [1, 2]);
  t.regex(decodeSegment(8, good) as string, /holds segment 7|CRC/);
  for (let i = 0; i < 5000; i++) {
    const bytes = random() < 0.5 ? good.slice(0, Math.floor(random() * good.length)) : Uint8Array.from({ length: Math.floor(random() * 300) }, () => Math.floor(random() * 256));
    if (random() < 0.3 && bytes.length > 0) bytes[Math.floor(random() * bytes.length)] ^= 0xff;
    t.notThrows(() => decodeSegment(7, bytes));
  }
  t.is(segmentKey(4294967295).length <= 15, true);
});

test("after the flash recovers, a RAM tail bigger than one segment is written as several segments", (t) => {
  const storage = new MemoryStorage();
  let broken = true;
  storage.beforeWrite = () => { if (broken) throw new Error("flash busy"); };
  const { outbox, counters, advance } = rig(storage);
  for (let i = 0; i < 12; i++) outbox.push(message(i, 500), false);
  advance(1000);
  t.true(counters.get("outbox_flash_errors") > 0);
  broken = false;
  advance(1000);
  t.is(outbox.unpersisted, 0, "everything reached flash");
  t.true(storage.keys().filter((k) => /^ob\.\d/.test(k)).length >= 2);
  t.is(outbox.depth + counters.get("outbox_dropped"), 12);
  const second = rig(storage);
  t.is(second.outbox.depth, outbox.depth, "and survives a reboot");
});

/**
 * Power loss at every flash write of a seeded workload: the write is torn
 * (half its bytes land) and nothing after it runs. A reboot must then find
 * every message it would have found just before that write (segments are
 * never overwritten, the index has two slots), in order, and nothing else.
 */
test("power loss during any flash write never loses what was already persisted (seeded, every write)", (t) => {
  const restore = (map: Map<string, Uint8Array>) => {
    const storage = new MemoryStorage();
    for (const [k, v] of map) storage.map.set(k, v.slice());
    const { outbox } = rig(storage);
    return drain(outbox).order;
  };
  let crashes = 0;
  for (let crashAt = 0; ; crashAt++) {
    const storage = new MemoryStorage();
    let before: number[] | undefined;
    class PowerLoss extends Error {}
    storage.beforeWrite = (_key, value, index) => {
      if (index !== crashAt) return undefined;
      before = restore(storage.map);
      // The board is dead: no later write or delete reaches the flash.
      storage.beforeWrite = () => { throw new PowerLoss(); };
      storage.delete = () => { throw new PowerLoss(); };
      return value.slice(0, Math.floor(value.length / 2));
    };
    const random = seededRandom(1000 + crashAt);
    const { outbox, advance } = rig(storage, { maxSegments: 4, flushMs: 500, offlineFlushMs: 500, indexWriteMs: 700 });
    const inFlight: number[] = [];
    let id = 1;
    for (let step = 0, i = 0; step < 300 && before === undefined; step++) {
      const r = random();
      if (r < 0.5) outbox.push(message(i++, 60 + Math.floor(random() * 400)), false);
      else if (r < 0.7) { const e = outbox.next(); if (e) { outbox.sent(e, id); inFlight.push(id++); } }
      else if (r < 0.85) { const a = inFlight.shift(); if (a !== undefined) outbox.ack(a); }
      else if (r < 0.9) { outbox.requeueInFlight(); inFlight.length = 0; }
      else advance(200);
    }
    if (before === undefined) break; // the workload made fewer writes than crashAt: every point was tried
    crashes++;
    const after = restore(storage.map);
    t.deepEqual(after, [...after].sort((a, b) => a - b), `crash at write ${crashAt}: order kept`);
    const missing = before.filter((m) => !after.includes(m));
    t.deepEqual(missing, [], `crash at write ${crashAt}: nothing persisted was lost`);
  }
  t.true(crashes > 20, `${crashes} crash points tried`);
});

/** The default telemetry: one pack of about 270 bytes every 10 s (10 readings, the bench's firmware row). */
const PACK_BYTES = 270;
const PACK_EVERY_MS = 10_000;
const obKeys = (storage: MemoryStorage) => storage.keys().filter((k) => /^ob\.\d/.test(k)).sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));

/** A rig with the shipped defaults (flushMs 5 s, offlineFlushMs 60 s, 64 segments), ticked every second like node.ts. */
function defaultRig(storage = new MemoryStorage(), options: Partial<OutboxOptions> = {}) {
  const mp = memoryPlatform({ storage });
  let now = 0;
  const counters = new Counters();
  const outbox = new Outbox(storage, () => now, counters, new Logger(mp.platform), options);
  let i = 0;
  /** Runs `ms` of virtual time: a pack every 10 s, the tick every second. */
  const run = (ms: number) => {
    for (const end = now + ms; now < end;) {
      now += 1000;
      if (now % PACK_EVERY_MS === 0) outbox.push(message(i++, PACK_BYTES), true);
      outbox.tick();
    }
  };
  return { outbox, counters, storage, run, made: () => i, now: () => now };
}

test("offline, the outbox fills segments: 30 min of default telemetry take 13 full segments, not 180", (t) => {
  const { outbox, counters, storage, run } = defaultRig();
  run(30 * 60_000);
  t.is(counters.get("outbox_dropped"), 0);
  t.is(outbox.depth, 180);
  const sizes = obKeys(storage).map((k) => storage.map.get(k)!.length);
  t.is(sizes.length, 13, "180 packs of 272 framed bytes: 14 per 4,000-byte segment");
  t.true(sizes.slice(0, -1).every((b) => b > 4000 - 272 && b <= 4000), `every closed segment is full: ${sizes.join(", ")}`);
  t.deepEqual(drain(outbox).order, [...Array(180).keys()], "oldest first, nothing lost or repeated");
  t.log(`${counters.get("outbox_segments_written")} segment writes for 13 segments (top-ups every 60 s)`);
});

test("offline, nothing is written before offlineFlushMs, and a power loss loses at most the packs of the last offlineFlushMs + 1 s", (t) => {
  const storage = new MemoryStorage();
  const { outbox, run, made, now } = defaultRig(storage);
  run(69_000); // packs at 10 s, 20 s, ... 60 s
  t.deepEqual(obKeys(storage), [], "6 packs, the oldest 59 s old: still in RAM");
  run(1000);
  t.deepEqual(obKeys(storage), ["ob.0"], "the oldest pack is 60 s old: written");
  let worst = 0;
  for (let s = 0; s < 20 * 60; s++) {
    run(1000);
    worst = Math.max(worst, outbox.unpersisted);
    if (s % 97 !== 0) continue;
    // Power loss now: a reboot finds every pack but the newest `unpersisted`, in order.
    const copy = new MemoryStorage();
    for (const [k, v] of storage.map) copy.map.set(k, v.slice());
    const after = rig(copy).outbox;
    t.deepEqual(drain(after).order, [...Array(made() - outbox.unpersisted).keys()], `power loss at ${now() / 1000} s`);
  }
  t.true(worst <= 6, `at most 6 packs (61 s at one per 10 s) in RAM only; worst ${worst}`);
});

test("on a live link, a pack in flight without PUBACK goes to flash after flushMs; waiting packs only after offlineFlushMs", (t) => {
  const storage = new MemoryStorage();
  const mp = memoryPlatform({ storage });
  let now = 0;
  const outbox = new Outbox(storage, () => now, new Counters(), new Logger(mp.platform));
  outbox.push(message(1), false);
  outbox.sent(outbox.next()!, 1);
  now = 4999; outbox.tick();
  t.deepEqual(obKeys(storage), []);
  now = 5000; outbox.tick();
  t.deepEqual(obKeys(storage), ["ob.0"], "unacknowledged for flushMs: persisted");
  t.true(outbox.ack(1));
  t.deepEqual(obKeys(storage), [], "its PUBACK removes it");
  outbox.push(message(2), false); // not sent (e.g. waiting behind a backlog or the rate)
  now += 59_999; outbox.tick();
  t.deepEqual(obKeys(storage), []);
  now += 1; outbox.tick();
  t.deepEqual(obKeys(storage), ["ob.1"]);
});

test("capacity: 64 segments hold about 2.5 h of default telemetry before the oldest is dropped", (t) => {
  const { counters, run } = defaultRig();
  let minutes = 0;
  while (counters.get("outbox_dropped") === 0 && minutes < 6 * 60) { run(60_000); minutes++; }
  const perSegment = Math.floor((4000 - 15) / (PACK_BYTES + 2));
  t.is(perSegment, 14);
  const hours = (64 * perSegment * PACK_EVERY_MS) / 3_600_000;
  t.true(minutes / 60 >= hours - 0.05 && minutes / 60 <= hours + 0.1, `first drop after ${minutes} min; expected about ${hours.toFixed(2)} h`);
  t.log(`64 × 4,000 B = 256,000 B hold ${64 * perSegment} packs = ${hours.toFixed(2)} h at one ${PACK_BYTES}-byte pack per 10 s`);
});

test("a top-up is write-new-then-switch: if the old copy was not deleted, a reboot keeps only the new one", (t) => {
  const storage = new MemoryStorage();
  const { outbox, run } = defaultRig(storage);
  run(70_000); // ob.0: packs 0-6
  const realDelete = storage.delete.bind(storage);
  storage.delete = () => { throw new Error("power lost before the delete"); };
  run(70_000); // ob.1: packs 0-13; deleting ob.0 fails
  t.deepEqual(obKeys(storage), ["ob.0", "ob.1"]);
  storage.delete = realDelete;
  t.is(outbox.depth, 14);
  const second = rig(storage);
  t.is(second.outbox.depth, 14, "the old copy is not counted twice");
  t.deepEqual(drain(second.outbox).order, [...Array(14).keys()]);
  t.deepEqual(obKeys(storage), ["ob.1"], "and it is deleted");
});

test("a top-up of the head drops its acknowledged packs, and a reboot replays the rest in order", (t) => {
  const storage = new MemoryStorage();
  const { outbox, run } = defaultRig(storage);
  run(70_000); // ob.0: packs 0-6
  const { ids } = drain(outbox, 1, 2);
  for (const id of ids) outbox.ack(id);
  run(70_000); // tops up ob.0 into ob.1: packs 2-13
  t.deepEqual(obKeys(storage), ["ob.1"]);
  const expected = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
  t.deepEqual((decodeSegment(1, storage.map.get("ob.1")!) as Uint8Array[]).map(indexOf), expected);
  const second = rig(storage);
  t.deepEqual(drain(second.outbox).order, expected);
});

test("the outbox is sized from the port's capacity hint: the ESP32's 516,000 bytes of NVS give 123 segments", async (t) => {
  const { outboxSegmentsFor, OUTBOX_SEGMENTS_MAX } = await import("../../modules/node.js");
  t.is(outboxSegmentsFor(undefined), undefined, "no hint: the outbox default (64)");
  t.is(outboxSegmentsFor(516_000), 123, "(516,000 − 24,000 reserved) / 4,000");
  t.is(outboxSegmentsFor(20_000), 1, "a tiny flash still keeps one segment");
  t.is(outboxSegmentsFor(100_000_000), OUTBOX_SEGMENTS_MAX, "bounded by the RAM its bookkeeping costs");
});
