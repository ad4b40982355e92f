import test from "ava";
import { CounterStore, counterKey } from "../../modules/io/counter-store.js";
import { crc32 } from "../../modules/util/crc32.js";
import { MemoryStorage } from "../helpers/memory-platform.js";

function setup(minIntervalMs = 60_000) {
  const storage = new MemoryStorage();
  const clock = { now: 0 };
  const errors: string[] = [];
  const open = () => new CounterStore(storage, "cp12345678", { now: () => clock.now, minIntervalMs, onError: (m) => void errors.push(m) });
  return { storage, clock, errors, open };
}

test("counterKey: 10 characters, stable per name, different across names and kinds", (t) => {
  t.is(counterKey("p", "flow").length, 10);
  t.is(counterKey("p", "flow"), counterKey("p", "flow"));
  t.not(counterKey("p", "flow"), counterKey("p", "flow2"));
  t.not(counterKey("p", "flow"), counterKey("d", "flow"));
  t.regex(counterKey("d", "a very long channel name indeed"), /^cd[0-9a-f]{8}$/);
});

test("save, then a fresh store (a reboot) loads the newest values", (t) => {
  const { open, clock } = setup(0);
  const store = open();
  t.is(store.load(), undefined);
  t.true(store.save([1, 2.5]));
  clock.now = 1;
  t.true(store.save([3, 4.5]));
  t.deepEqual(open().load(), [3, 4.5]);
});

test("write-new-then-switch: the slots alternate, the current record is never overwritten", (t) => {
  const { open, storage } = setup(0);
  const store = open();
  store.save([1]);
  store.save([2]);
  store.save([3]);
  t.deepEqual(storage.keys(), ["cp12345678.a", "cp12345678.b"]);
  t.is(storage.writes, 3);
  // Power fails half-way through the next write: the slot being written is torn.
  storage.beforeWrite = (_key, value) => value.slice(0, 7);
  store.save([4]);
  t.deepEqual(open().load(), [3], "the torn slot is ignored, the previous record stands");
});

test("a flipped bit fails the CRC and the other slot is used, with a message", (t) => {
  const { open, storage, errors } = setup(0);
  const store = open();
  store.save([10]);
  store.save([11]);
  const key = "cp12345678.b";
  const bytes = storage.map.get(key)!;
  bytes[10] ^= 0x01;
  t.deepEqual(open().load(), [10]);
  t.deepEqual(errors, ["counter slot b: CRC mismatch"]);
});

test("bounded write rate: at most one write per interval, none when nothing changed, flush ignores the interval", (t) => {
  const { open, clock, storage } = setup(60_000);
  const store = open();
  t.true(store.save([1]));
  clock.now = 30_000;
  t.false(store.save([2]), "too soon");
  clock.now = 60_000;
  t.true(store.save([2]));
  clock.now = 200_000;
  t.false(store.save([2]), "unchanged");
  t.true(store.flush([3]));
  t.false(store.flush([3]));
  t.is(storage.writes, 3);
});

test("a failing flash goes to onError, never throws, and the previous record stays current", (t) => {
  const { open, storage, errors } = setup(0);
  const store = open();
  store.save([5]);
  storage.beforeWrite = () => {
    throw new Error("flash full");
  };
  t.notThrows(() => store.save([6]));
  t.deepEqual(errors, ["counter write failed: flash full"]);
  storage.beforeWrite = undefined;
  t.deepEqual(open().load(), [5]);
});

test("a value that is not a counter record is ignored with a message", (t) => {
  const { open, storage, errors } = setup(0);
  storage.map.set("cp12345678.a", new Uint8Array([1, 2, 3]));
  t.is(open().load(), undefined);
  t.deepEqual(errors, ["counter slot a: not a counter record"]);
});

test("the generation wraps at 2^32 (serial-number arithmetic): generation 0 is newer than 0xffffffff", (t) => {
  const { open, storage } = setup(0);
  // Slot a as a store would have written it at generation 0xffffffff (layout in counter-store.ts).
  const record = new Uint8Array(20);
  const view = new DataView(record.buffer);
  record.set([0x46, 0x4b, 1, 1]);
  view.setUint32(4, 0xffffffff);
  view.setFloat64(8, 41);
  view.setUint32(16, crc32(record, 0, 16));
  storage.map.set("cp12345678.a", record);
  const store = open();
  t.deepEqual(store.load(), [41]);
  t.true(store.save([42]));
  t.is(new DataView(storage.map.get("cp12345678.b")!.buffer).getUint32(4), 0);
  t.deepEqual(open().load(), [42]);
});

test("constructor checks the key length and the interval", (t) => {
  const storage = new MemoryStorage();
  t.throws(() => new CounterStore(storage, "abcdefghijklmn", { now: () => 0 }), { instanceOf: RangeError, message: 'counter key must be 1..13 characters, got "abcdefghijklmn"' });
  t.throws(() => new CounterStore(storage, "k", { now: () => 0, minIntervalMs: -1 }), { instanceOf: RangeError, message: "minIntervalMs must be 0 or more, got -1" });
});
