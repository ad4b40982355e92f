import test from "ava";
import { MemoryStorage } from "./memory-storage.js";

test("MemoryStorage: host limits, copies, and injected faults (full flash, a torn or failed write)", (t) => {
  const storage = new MemoryStorage();
  const value = Uint8Array.of(1, 2, 3);
  storage.write("a.b-c_D", value);
  value[0] = 9;
  t.deepEqual(storage.read("a.b-c_D"), Uint8Array.of(1, 2, 3));
  t.throws(() => storage.write("sixteen-chars-xx", value), { instanceOf: RangeError });
  t.throws(() => storage.write("", value), { instanceOf: RangeError });
  t.throws(() => storage.read("bad key"), { instanceOf: RangeError });
  t.throws(() => storage.write("big", new Uint8Array(4001)), { instanceOf: RangeError, message: /4001 bytes, at most 4000/ });
  storage.beforeWrite = (_key, bytes) => bytes.slice(0, 1);
  storage.write("torn", Uint8Array.of(7, 8));
  t.deepEqual(storage.read("torn"), Uint8Array.of(7));
  storage.beforeWrite = () => {
    throw new Error("power cut");
  };
  t.throws(() => storage.write("lost", value), { message: "power cut" });
  t.is(storage.read("lost"), undefined);
  storage.beforeWrite = undefined;
  storage.full = true;
  t.throws(() => storage.write("x", value), { message: "flash full" });
  t.deepEqual(storage.keys(), ["a.b-c_D", "torn"]);
  t.is(storage.writes, 3, "writes counts the attempts beforeWrite saw");
});
