import test from "ava";
import { createTestPlatform } from "./platform.js";

test("virtual timers fire in due order at their due time, repeats included, and clear works", async (t) => {
  const { platform, timers, clock } = createTestPlatform();
  const fired: string[] = [];
  const at = (label: string) => () => fired.push(`${label}@${clock.monotonic()}`);
  platform.timers.repeat(at("r"), 400);
  platform.timers.once(at("b"), 500);
  platform.timers.once(at("a"), 500);
  const cancelled = platform.timers.once(at("x"), 100);
  platform.timers.clear(cancelled);
  platform.timers.clear(undefined);
  t.is(await timers.advanceSettled(1000), 4);
  t.deepEqual(fired, ["r@400", "b@500", "a@500", "r@800"]);
  t.is(clock.monotonic(), 1000);
  t.throws(() => platform.timers.repeat(() => {}, 0), { instanceOf: RangeError });
});

test("a runaway zero-delay chain is stopped, not looped forever", async (t) => {
  const { platform, timers } = createTestPlatform();
  const again = () => void platform.timers.once(again, 0);
  again();
  await t.throwsAsync(timers.advanceSettled(1), { instanceOf: RangeError, message: /more than 100000 timer firings/ });
});

test("wall time is undefined until set, then moves with the monotonic clock", async (t) => {
  const { platform, clock, timers } = createTestPlatform();
  t.is(platform.clock.wallTime(), undefined);
  await timers.advanceSettled(250);
  clock.setWallTime(1_700_000_000_000);
  await timers.advanceSettled(1000);
  t.is(platform.clock.wallTime(), 1_700_000_001_000);
  await t.throwsAsync(timers.advanceSettled(-1), { instanceOf: RangeError }, "time never goes back");
});

test("storage enforces the key and value limits of every host and copies values", (t) => {
  const { platform } = createTestPlatform();
  const value = new Uint8Array([1, 2, 3]);
  platform.storage.write("cfg.a-1_B", value);
  value[0] = 9;
  t.deepEqual(platform.storage.read("cfg.a-1_B"), new Uint8Array([1, 2, 3]));
  t.throws(() => platform.storage.write("sixteen-chars-xx", value), { instanceOf: RangeError, message: /"sixteen-chars-xx"/ });
  t.throws(() => platform.storage.write("bad key", value), { instanceOf: RangeError });
  t.throws(() => platform.storage.write("big", new Uint8Array(4001)), { instanceOf: RangeError, message: /4001 bytes, at most 4000/ });
  platform.storage.write("max", new Uint8Array(4000));
  t.deepEqual(platform.storage.keys(), ["cfg.a-1_B", "max"]);
});

test("the recording transport numbers QoS 1 publishes and refuses when not writable", (t) => {
  const { platform, mqtt } = createTestPlatform();
  const events = { onConnect() {}, onMessage() {}, onPuback() {}, onClose() {} };
  const link = platform.mqtt.connect({ url: "mqtt://x:1883", clientId: "c", keepalive: 30, cleanSession: true }, events);
  t.is(link.publish("a", new Uint8Array([1]), 1, false), 1);
  t.is(link.publish("a", new Uint8Array([2]), 0, false), 0);
  t.is(link.publish("a", new Uint8Array([3]), 1, true), 2);
  mqtt.writable = false;
  t.false(link.publish("a", new Uint8Array([4]), 1, false));
  t.deepEqual(mqtt.publishes.map((p) => p.packetId), [1, 0, 2]);
});

test("the seeded PRNG repeats per seed and stays in [0, 1)", (t) => {
  const draw = (seed: number) => {
    const { platform } = createTestPlatform({ seed });
    return Array.from({ length: 1000 }, () => platform.system.random());
  };
  t.deepEqual(draw(3), draw(3));
  t.notDeepEqual(draw(3), draw(4));
  t.true(draw(5).every((x) => x >= 0 && x < 1));
});
