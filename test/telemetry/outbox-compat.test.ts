/**
 * An outbox left on flash by the previous firmware (v1 segments, rewritten
 * by top-ups; v1 index) is read by the journal outbox: every pack replayed
 * once, oldest first, and new packs queue behind them.
 */
import test from "ava";
import { Counters } from "../../modules/counters.js";
import { Logger } from "../../modules/log.js";
import { Outbox } from "../../modules/telemetry/outbox.js";
import { decodeSegment, type DecodedSegment } from "../../modules/telemetry/outbox-format.js";
import { memoryPlatform, MemoryStorage } from "../helpers/memory-platform.js";
import { OutboxV1 } from "../helpers/outbox-v1.js";

function message(i: number, size = 270): Uint8Array {
  const bytes = new Uint8Array(size).fill(i & 0xff);
  new DataView(bytes.buffer).setUint32(0, i);
  return bytes;
}
const indexOf = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset).getUint32(0);

/** The previous firmware's outbox, with its defaults (top-up every 60 s offline), ticked every second. */
function previousFirmware(storage: MemoryStorage) {
  let now = 0;
  const mp = memoryPlatform({ storage });
  const outbox = new OutboxV1(storage, () => now, new Counters(), new Logger(mp.platform), {});
  let i = 0;
  return {
    outbox,
    run(ms: number) {
      for (const end = now + ms; now < end;) {
        now += 1000;
        if (now % 10_000 === 0) outbox.push(message(i++), true);
        outbox.tick();
      }
    },
    made: () => i,
  };
}

function newFirmware(storage: MemoryStorage) {
  const mp = memoryPlatform({ storage });
  const counters = new Counters();
  return { outbox: new Outbox(storage, () => 0, counters, new Logger(mp.platform), {}), counters, logs: mp.logs };
}

function drain(outbox: Outbox, firstId = 1): { ids: number[]; order: number[] } {
  const ids: number[] = [];
  const order: number[] = [];
  for (let e = outbox.next(); e; e = outbox.next()) {
    outbox.sent(e, firstId + ids.length);
    ids.push(firstId + ids.length);
    order.push(indexOf(e.bytes));
  }
  return { ids, order };
}

test("v1 segments and index of the previous firmware are replayed in order, acknowledged packs skipped", (t) => {
  const storage = new MemoryStorage();
  const old = previousFirmware(storage);
  old.run(10 * 60_000); // 60 packs: v1 segments of 14-15 packs, the last topped up
  // The old firmware sent and got PUBACKs for the first 5, and wrote its index.
  for (let k = 0; k < 5; k++) { const e = old.outbox.next()!; old.outbox.sent(e, k + 1); old.outbox.ack(k + 1); }
  old.outbox.persist();
  const v1 = storage.keys().filter((k) => /^ob\.\d/.test(k));
  t.true(v1.length >= 4);
  t.true(v1.every((k) => (decodeSegment(Number(k.slice(3)), storage.map.get(k)!) as DecodedSegment).version === 1), "written in the v1 format");
  const next = newFirmware(storage);
  t.is(next.outbox.depth, 55);
  t.deepEqual(drain(next.outbox).order, [...Array(55).keys()].map((i) => i + 5));
  t.is(next.counters.get("outbox_torn"), 0);
});

test("a v1 top-up whose old copy was not deleted is read once; new packs queue behind the old ones and survive a reboot", (t) => {
  const storage = new MemoryStorage();
  const old = previousFirmware(storage);
  old.run(70_000); // ob.0: packs 0-6
  storage.delete = () => { throw new Error("power lost before the delete"); };
  old.run(70_000); // the top-up writes ob.1 (packs 0-13); ob.0 stays
  t.deepEqual(storage.keys().filter((k) => /^ob\.\d/.test(k)).sort(), ["ob.0", "ob.1"]);
  delete (storage as { delete?: unknown }).delete; // the class method again
  const next = newFirmware(storage);
  t.is(next.outbox.depth, 14);
  t.false(storage.keys().includes("ob.0"), "the old copy is deleted");
  for (let i = 100; i < 105; i++) next.outbox.push(message(i), true); // journal records, v2
  const again = newFirmware(storage);
  t.deepEqual(drain(again.outbox).order, [...[...Array(14).keys()], 100, 101, 102, 103, 104]);
});
