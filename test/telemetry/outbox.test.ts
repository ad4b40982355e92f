import test from "ava";
import { Counters } from "../../modules/counters.js";
import { Logger } from "../../modules/log.js";
import { Outbox, type OutboxOptions } from "../../modules/telemetry/outbox.js";
import { decodeSegment, encodeSegment, segmentKey, type DecodedSegment } from "../../modules/telemetry/outbox-format.js";
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
  const good = encodeSegment({ n: 7, lo: 3, hi: 6, level: 2, record: false }, [message(1), message(2, 33)], [40, 44]);
  const decoded = decodeSegment(7, good) as DecodedSegment;
  t.deepEqual(decoded.messages.map(indexOf), [1, 2]);
  t.like(decoded, { n: 7, lo: 3, hi: 6, level: 2, record: false, version: 2, ordinals: [40, 44] });
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
 * never overwritten, the index has two slots), in order, and nothing else;
 * and every message queued while offline (the journal writes it at once)
 * unless it was acknowledged or thinned on purpose.
 */
test("power loss during any flash write never loses what was already persisted, nor any pack queued offline (seeded, every write)", (t) => {
  const restore = (map: Map<string, Uint8Array>) => {
    const storage = new MemoryStorage();
    for (const [k, v] of map) storage.map.set(k, v.slice());
    const { outbox } = rig(storage);
    return drain(outbox).order;
  };
  let crashes = 0;
  let thinnedRuns = 0;
  let offlineChecked = 0;
  for (let crashAt = 0; ; crashAt++) {
    const storage = new MemoryStorage();
    let before: number[] | undefined;
    let writing: number[] = [];
    const queuedOffline: number[] = [];
    class PowerLoss extends Error {}
    const acked = new Set<number>();
    const inFlight: { id: number; message: number }[] = [];
    const random = seededRandom(1000 + crashAt);
    const { outbox, advance, counters } = rig(storage, { maxSegments: 4, flushMs: 500, offlineFlushMs: 0, indexWriteMs: 700 });
    storage.beforeWrite = (key, value, index) => {
      if (index !== crashAt) return undefined;
      before = restore(storage.map);
      const decoded = key.startsWith("ob.i") ? undefined : decodeSegment(Number(key.slice(3)), value);
      writing = decoded && typeof decoded !== "string" ? decoded.messages.map(indexOf) : [];
      // The board is dead: no later write or delete reaches the flash.
      storage.beforeWrite = () => { throw new PowerLoss(); };
      storage.delete = () => { throw new PowerLoss(); };
      return value.slice(0, Math.floor(value.length / 2));
    };
    let id = 1;
    let online = false;
    const thinnedAt = new Set<number>();
    for (let step = 0, i = 0; step < 300 && before === undefined; step++) {
      const r = random();
      if (r < 0.5) {
        const m = i++;
        const thinnedBefore = counters.get("outbox_thinned");
        outbox.push(message(m, 60 + Math.floor(random() * 400)), !online);
        if (!online && before === undefined) queuedOffline.push(m); // one that reached the outbox before the power failed
        if (counters.get("outbox_thinned") > thinnedBefore) thinnedAt.add(m);
      } else if (r < 0.65) { const e = outbox.next(); if (e && online) { outbox.sent(e, id); inFlight.push({ id: id++, message: indexOf(e.bytes) }); } }
      else if (r < 0.8) { const a = inFlight.shift(); if (a !== undefined) { outbox.ack(a.id); acked.add(a.message); } }
      else if (r < 0.85) { online = !online; if (!online) { outbox.requeueInFlight(); outbox.markHistorical(); inFlight.length = 0; } }
      else advance(200);
    }
    if (before === undefined) break; // the workload made fewer writes than crashAt: every point was tried
    crashes++;
    if (counters.get("outbox_thinned") > 0) thinnedRuns++;
    const after = restore(storage.map);
    t.deepEqual(after, [...after].sort((a, b) => a - b), `crash at write ${crashAt}: order kept`);
    t.deepEqual(before.filter((m) => !after.includes(m)), [], `crash at write ${crashAt}: nothing persisted was lost`);
    // Every pack queued offline is on flash but the one whose record was being written (torn), unless acknowledged;
    // once thinning has rewritten old segments, packs it left out are gone on purpose (counted in outbox_thinned).
    if (counters.get("outbox_thinned") > 0) continue;
    offlineChecked++;
    const expected = queuedOffline.filter((m) => !acked.has(m) && !thinnedAt.has(m) && !writing.includes(m));
    t.deepEqual(expected.filter((m) => !after.includes(m)), [], `crash at write ${crashAt}: every pack queued offline is on flash`);
  }
  t.true(crashes > 40, `${crashes} crash points tried`);
  t.true(thinnedRuns > 5, `${thinnedRuns} of them after thinning`);
  t.true(offlineChecked > 20, `${offlineChecked} of them checked for every pack queued offline`);
});

/** The default telemetry: two channels at 1 Hz, 10 readings a pack: one pack of about 306 bytes every 5 s (the bench's firmware row). */
const PACK_BYTES = 306;
const PACK_EVERY_MS = 5_000;
const obKeys = (storage: MemoryStorage) => storage.keys().filter((k) => /^ob\.\d/.test(k)).sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
const segmentsOf = (storage: MemoryStorage) => obKeys(storage).map((k) => decodeSegment(Number(k.slice(3)), storage.map.get(k)!) as DecodedSegment);

/** A rig with the shipped defaults (journal at once offline, flushMs 5 s, 64 segments), ticked every second like node.ts. */
function defaultRig(storage = new MemoryStorage(), options: Partial<OutboxOptions> = {}) {
  const mp = memoryPlatform({ storage });
  let now = 0;
  const counters = new Counters();
  const outbox = new Outbox(storage, () => now, counters, new Logger(mp.platform), options);
  let i = 0;
  /** Runs `ms` of virtual time: a pack every 5 s (queued offline), the tick every second. */
  const run = (ms: number) => {
    for (const end = now + ms; now < end;) {
      now += 1000;
      if (now % PACK_EVERY_MS === 0) outbox.push(message(i++, PACK_BYTES), true);
      outbox.tick();
    }
  };
  return { outbox, counters, storage, run, made: () => i, now: () => now };
}

test("offline, every pack is on flash as soon as it is queued: a power loss at any second loses none", (t) => {
  const storage = new MemoryStorage();
  const { outbox, run, made } = defaultRig(storage);
  for (let s = 0; s < 20 * 60; s += 7) {
    run(7000);
    t.is(outbox.unpersisted, 0);
    // Power loss now: a reboot finds every pack made so far, in order.
    const copy = new MemoryStorage();
    for (const [k, v] of storage.map) copy.map.set(k, v.slice());
    t.deepEqual(drain(rig(copy).outbox).order, [...Array(made()).keys()], `power loss at ${s + 7} s`);
  }
});

test("offline, the journal is consolidated into full segments: 30 min of default telemetry take 29 full segments and a journal of 12 records", (t) => {
  const { outbox, counters, storage, run } = defaultRig();
  run(30 * 60_000);
  t.is(counters.get("outbox_dropped") + counters.get("outbox_thinned"), 0);
  t.is(outbox.depth, 360);
  const segments = segmentsOf(storage);
  const closed = segments.filter((s) => !s.record);
  const journal = segments.filter((s) => s.record);
  const perSegment = Math.floor((4000 - 25) / (PACK_BYTES + 6));
  t.is(perSegment, 12);
  t.is(closed.length, 29, "the journal is consolidated when the 13th record would not fit beside it");
  t.is(journal.length, 12);
  t.true(closed.every((s) => s.messages.length === perSegment), `every closed segment is full: ${closed.map((s) => s.messages.length).join(", ")}`);
  t.true(journal.length >= 1 && journal.length <= perSegment && journal.every((s) => s.messages.length === 1), `journal of ${journal.length} one-pack records`);
  t.is(closed.length * perSegment + journal.length, 360);
  t.deepEqual(drain(outbox).order, [...Array(360).keys()], "oldest first, nothing lost or repeated");
  t.is(counters.get("outbox_segments_written"), 360 + closed.length, "one record per pack, one write per consolidated segment");
});

test("on a live link, a pack without PUBACK goes to the journal flushMs after it was queued; a PUBACK removes it", (t) => {
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
  now += 4999; outbox.tick();
  t.deepEqual(obKeys(storage), []);
  now += 1; outbox.tick();
  t.deepEqual(obKeys(storage), ["ob.1"]);
  outbox.push(message(3), false);
  outbox.markHistorical(); // the link went down: what waited in RAM goes to the journal now
  t.deepEqual(obKeys(storage), ["ob.1", "ob.2"]);
  t.is(outbox.unpersisted, 0);
});

test("capacity: 64 segments hold 63 full segments and a journal of default telemetry before thinning starts", (t) => {
  const { counters, run, made } = defaultRig();
  let minutes = 0;
  while (counters.get("outbox_thinned") === 0 && minutes < 6 * 60) { run(60_000); minutes++; }
  const perSegment = Math.floor((4000 - 25) / (PACK_BYTES + 6));
  const hours = ((63 * perSegment + perSegment) * PACK_EVERY_MS) / 3_600_000;
  t.true(minutes / 60 >= hours - 0.05 && minutes / 60 <= hours + 0.1, `first thinning after ${minutes} min; expected about ${hours.toFixed(2)} h`);
  t.is(counters.get("outbox_dropped"), 0, "thinned, never dropped");
  t.log(`64 × 4,000 B hold ${64 * perSegment} packs = ${hours.toFixed(2)} h at one ${PACK_BYTES}-byte pack per 5 s; ${made()} made`);
});

test("consolidation is write-new-then-switch: if the records were not deleted, a reboot keeps only the consolidated copy", (t) => {
  const storage = new MemoryStorage();
  const { outbox, run } = defaultRig(storage);
  run(60_000); // 12 one-pack records: a full journal
  t.is(obKeys(storage).length, 12);
  const realDelete = storage.delete.bind(storage);
  storage.delete = () => { throw new Error("power lost before the delete"); };
  run(5000); // the 13th pack: the journal is consolidated into ob.12, then ob.13 holds the new pack; deleting the records fails
  t.is(obKeys(storage).length, 14);
  storage.delete = realDelete;
  t.is(outbox.depth, 13);
  const second = rig(storage);
  t.is(second.outbox.depth, 13, "the records are not counted twice");
  t.deepEqual(drain(second.outbox).order, [...Array(13).keys()]);
  t.deepEqual(obKeys(storage), ["ob.12", "ob.13"], "and they are deleted");
});

test("consolidating a partly acknowledged journal keeps only the unacknowledged packs, and a reboot replays them in order", (t) => {
  const storage = new MemoryStorage();
  const { outbox, run } = defaultRig(storage);
  run(60_000); // records ob.0 - ob.11: packs 0-11
  const { ids } = drain(outbox, 1, 2);
  for (const id of ids) outbox.ack(id);
  t.deepEqual(obKeys(storage).slice(0, 1), ["ob.2"], "acknowledged records are deleted");
  run(25_000); // packs 12-16: the journal (packs 2-13) is consolidated
  const closed = segmentsOf(storage).filter((s) => !s.record);
  t.is(closed.length, 1);
  t.deepEqual(closed[0].messages.map(indexOf), [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
  const second = rig(storage);
  t.deepEqual(drain(second.outbox).order, [...Array(15).keys()].map((i) => i + 2));
});

test("an outage 8 times the capacity leaves an evenly thinned, complete history: no hole, spacing within 2×, every pack counted", (t) => {
  const storage = new MemoryStorage();
  const { outbox, counters, run, made } = defaultRig(storage, { maxSegments: 8 });
  const perSegment = 12;
  const capacityPacks = 8 * perSegment;
  run(capacityPacks * 8 * PACK_EVERY_MS);
  const restored = rig(storage).outbox;
  const order = drain(restored).order;
  t.deepEqual(order, [...order].sort((a, b) => a - b), "in order");
  t.is(new Set(order).size, order.length, "no duplicates");
  t.is(order.length + counters.get("outbox_thinned"), made(), "every pack made is either kept or counted as thinned");
  t.is(counters.get("outbox_dropped"), 0, "no segment dropped whole");
  const gaps = order.slice(1).map((m, i) => m - order[i]);
  const widest = Math.max(...gaps);
  const finest = Math.min(...gaps);
  t.true(widest <= 2 * finest, `spacing from ${finest} to ${widest} packs`);
  t.true(order[0] <= widest, `the history starts at the outage's start (first kept: pack ${order[0]})`);
  t.true(made() - 1 - order[order.length - 1] <= widest, `and reaches its end (last kept: ${order[order.length - 1]} of ${made()})`);
  t.true(outbox.level >= 3, `new packs kept 1 in ${2 ** outbox.level}`);
  t.log(`${made()} packs made, ${order.length} kept, spacing ${finest}-${widest}, level ${outbox.level}; ${counters.get("outbox_segments_written")} segment writes`);
});

test("thinning: a live link resets the level, and acknowledged or in-flight packs are never rewritten", (t) => {
  const { outbox, counters, run } = defaultRig(new MemoryStorage(), { maxSegments: 3 });
  run(12 * 60_000);
  t.true(outbox.level > 0);
  const thinned = counters.get("outbox_thinned");
  const { ids } = drain(outbox, 1, 3);
  run(6 * 60_000); // more thinning while three packs are in flight
  t.true(counters.get("outbox_thinned") > thinned);
  for (const id of ids) t.true(outbox.ack(id), "the in-flight packs are still there to be acknowledged");
  outbox.push(message(99_999, PACK_BYTES), false);
  t.is(outbox.level, 0, "a pack queued on a live link: full resolution again");
});

test("seeded runs with reboots, outages and acks: every pack queued is replayed once, in order, or counted as acknowledged, thinned or dropped", (t) => {
  for (let seed = 1; seed <= 40; seed++) {
    const random = seededRandom(seed);
    const storage = new MemoryStorage();
    const maxSegments = 2 + Math.floor(random() * 4);
    let pushed = 0;
    let acked = 0;
    let lost = 0;
    let current = rig(storage, { maxSegments, indexWriteMs: 0 });
    const reboot = () => {
      current.outbox.persist();
      lost += current.counters.get("outbox_thinned") + current.counters.get("outbox_dropped");
      current = rig(storage, { maxSegments, indexWriteMs: 0 });
    };
    let online = false;
    let id = 1;
    const inFlight: number[] = [];
    for (let step = 0; step < 1500; step++) {
      const r = random();
      if (r < 0.45) { current.outbox.push(message(pushed++, 60 + Math.floor(random() * 900)), !online); }
      else if (r < 0.6 && online) { const e = current.outbox.next(); if (e) { current.outbox.sent(e, id); inFlight.push(id++); } }
      else if (r < 0.7 && online) { const a = inFlight.shift(); if (a !== undefined && current.outbox.ack(a)) acked++; }
      else if (r < 0.74) { online = !online; if (!online) { current.outbox.requeueInFlight(); current.outbox.markHistorical(); inFlight.length = 0; } }
      else if (r < 0.75) { reboot(); inFlight.length = 0; }
      else current.advance(300);
    }
    reboot();
    const { order } = drain(current.outbox);
    t.deepEqual(order, [...order].sort((a, b) => a - b), `seed ${seed}: in order`);
    t.is(new Set(order).size, order.length, `seed ${seed}: no pack twice`);
    t.is(order.length + acked + lost, pushed, `seed ${seed}: ${order.length} replayed + ${acked} acknowledged + ${lost} thinned or dropped = ${pushed} queued`);
  }
});
