import test from "ava";
import { decode } from "cbor-x";
import { Counters } from "../../modules/counters.js";
import { Logger } from "../../modules/log.js";
import { EVENT_QUEUE_MAX, EVENT_STORE_WINDOW_MS, EventQueue } from "../../modules/mqtt/event-queue.js";
import { memoryPlatform, MemoryStorage } from "../helpers/memory-platform.js";

function rig(max?: number) {
  const { platform, logs, advance } = memoryPlatform();
  const counters = new Counters();
  const sent: unknown[] = [];
  let online = false;
  const queue = new EventQueue({
    publish: (payload) => (online ? (sent.push(decode(payload)), 1) : false),
    counters, log: new Logger(platform), bootId: "b00710ad", uptimeMs: () => platform.clock.monotonic(),
  }, max);
  return { queue, counters, sent, logs, advance, goOnline: () => { online = true; } };
}

test("an event is logged, counted and published at once as {kind, detail, boot, uptime}", (t) => {
  const { queue, counters, sent, logs, advance, goOnline } = rig();
  goOnline();
  advance(12_500);
  queue.raise("config", "stored x: bad");
  t.deepEqual(sent, [{ kind: "config", detail: "stored x: bad", boot: "b00710ad", uptime: 12 }]);
  t.is(counters.get("events"), 1);
  t.true(logs.some((l) => l.includes("WARN event: config: stored x: bad")));
});

test("offline, at most EVENT_QUEUE_MAX wait; the oldest go first and are counted; flush sends the rest in order", (t) => {
  const { queue, counters, sent, goOnline } = rig();
  for (let i = 0; i < EVENT_QUEUE_MAX + 3; i++) queue.raise("k", `e${i}`);
  t.is(queue.length, EVENT_QUEUE_MAX);
  t.is(counters.get("events_dropped"), 3);
  goOnline();
  queue.flush();
  t.deepEqual(sent.map((e) => (e as { detail: string }).detail), Array.from({ length: EVENT_QUEUE_MAX }, (_, i) => `e${i + 3}`));
  t.is(queue.length, 0);
});

test("a bad bound is refused with a RangeError naming it", (t) => {
  t.throws(() => rig(0), { instanceOf: RangeError, message: "event queue max must be a positive integer, got 0" });
});

function persistent(storage: MemoryStorage, bootId: string, online: { value: boolean }) {
  const { platform } = memoryPlatform({ storage });
  const counters = new Counters();
  const sent: { kind: string; detail: string; boot: string }[] = [];
  const queue = new EventQueue({
    publish: (payload) => (online.value ? (sent.push(decode(payload)), 1) : false),
    counters, log: new Logger(platform), bootId, uptimeMs: () => 0, storage,
  });
  return { queue, sent, counters };
}

test("waiting events survive a reboot (A/B record on flash) and leave after the next connect with their own boot id, once", (t) => {
  const storage = new MemoryStorage();
  const online = { value: false };
  const first = persistent(storage, "boot0001", online);
  first.queue.raise("outbox_loss", "dropped 3");
  first.queue.raise("storage", "flash refuses writes");
  const second = persistent(storage, "boot0002", online);
  t.is(second.queue.length, 2);
  online.value = true;
  second.queue.flush();
  t.deepEqual(second.sent.map((e) => [e.kind, e.boot]), [["outbox_loss", "boot0001"], ["storage", "boot0001"]]);
  t.is(persistent(storage, "boot0003", online).queue.length, 0, "sent events are not sent again after the next reboot");
});

test("events that go straight out write no flash; a power cut during the record write keeps the previous record", (t) => {
  const storage = new MemoryStorage();
  const online = { value: true };
  const live = persistent(storage, "b1", online);
  for (let i = 0; i < 5; i++) live.queue.raise("config", `e${i}`);
  t.is(storage.writes, 0);
  online.value = false;
  live.queue.raise("config", "kept");
  storage.beforeWrite = () => { throw new Error("power cut"); };
  live.queue.raise("config", "lost in the cut");
  t.is(live.counters.get("events_store_errors"), 1);
  storage.beforeWrite = undefined;
  const after = persistent(storage, "b2", { value: true });
  after.queue.flush();
  t.deepEqual(after.sent.map((e) => e.detail), ["kept"]);
});

test("a flapping source offline writes the event record at most once per window; the last state is written at its end", (t) => {
  const storage = new MemoryStorage();
  const mp = memoryPlatform({ storage });
  const counters = new Counters();
  const queue = new EventQueue({
    publish: () => false, counters, log: new Logger(mp.platform), bootId: "b1", uptimeMs: () => 0,
    storage, timers: mp.platform.timers, clock: mp.platform.clock,
  });
  const writes = () => storage.keys().length === 0 ? 0 : storage.writes;
  for (let i = 0; i < 100; i++) {
    queue.raise("quality", `temp: good -> bad (${i})`);
    mp.advance(100);
  }
  t.true(writes() <= Math.ceil(10_000 / EVENT_STORE_WINDOW_MS) + 1, `${writes()} writes in 10 s`);
  queue.persistNow();
  const { platform } = memoryPlatform({ storage });
  const sent: string[] = [];
  new EventQueue({ publish: (p) => (sent.push((decode(p) as { detail: string }).detail), 1), counters, log: new Logger(platform), bootId: "b2", uptimeMs: () => 0, storage }).flush();
  t.deepEqual(sent, Array.from({ length: EVENT_QUEUE_MAX }, (_, i) => `temp: good -> bad (${92 + i})`));
});
