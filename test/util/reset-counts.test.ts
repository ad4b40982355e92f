import test from "ava";
import { countResetReason } from "../../modules/util/reset-counts.js";
import { MemoryStorage } from "../helpers/memory-storage.js";

test("reset reasons are counted across boots, each by its own reason; an unknown reason counts as unknown", (t) => {
  const storage = new MemoryStorage();
  t.like(countResetReason(storage, "power-on"), { "power-on": 1, watchdog: 0 });
  t.like(countResetReason(storage, "watchdog"), { "power-on": 1, watchdog: 1 });
  t.like(countResetReason(storage, "watchdog"), { "power-on": 1, watchdog: 2 });
  t.like(countResetReason(storage, "brownout"), { brownout: 1, watchdog: 2 });
  t.deepEqual(countResetReason(storage, "cosmic ray"), { "power-on": 1, software: 0, panic: 0, watchdog: 2, brownout: 1, unknown: 1 });
});

test("a torn record starts again from zero instead of trusting it", (t) => {
  const storage = new MemoryStorage();
  countResetReason(storage, "panic");
  countResetReason(storage, "panic");
  const record = storage.read("boot.rst")!;
  storage.write("boot.rst", record.subarray(0, record.length - 3));
  t.like(countResetReason(storage, "panic"), { panic: 1 });
  const flipped = storage.read("boot.rst")!.slice();
  flipped[2] ^= 0x10;
  storage.write("boot.rst", flipped);
  t.like(countResetReason(storage, "software"), { panic: 0, software: 1 });
});

test("a flash that refuses the write: the counts read are returned, the failure reported, nothing thrown", (t) => {
  const storage = new MemoryStorage();
  countResetReason(storage, "software");
  const errors: unknown[] = [];
  const failing = { read: (k: string) => storage.read(k), write: () => { throw new Error("flash full"); }, delete: () => {}, keys: () => storage.keys() };
  t.like(countResetReason(failing, "software", (e) => errors.push(e)), { software: 1 });
  t.is(errors.length, 1);
});
