import test from "ava";
import { Counters } from "../../modules/counters.js";
import { Logger } from "../../modules/log.js";
import { Forwarder } from "../../modules/telemetry/forwarder.js";
import { Outbox } from "../../modules/telemetry/outbox.js";
import { decodeTelemetryPack } from "../../modules/telemetry/telemetry-pack.js";
import { encodePack } from "../helpers/reading-rows.js";
import { memoryPlatform } from "../helpers/memory-platform.js";

function rig(options: { ratePerSec?: number; burst?: number; maxInFlight?: number; startJitterMs?: number } = {}) {
  const mp = memoryPlatform();
  const counters = new Counters();
  const outbox = new Outbox(mp.storage, () => mp.platform.clock.monotonic(), counters, new Logger(mp.platform));
  const sent: { id: number; seq: number; historical: boolean }[] = [];
  let nextId = 1;
  let linkFull = false;
  const forwarder = new Forwarder(mp.platform, outbox, counters, (payload) => {
    if (linkFull) return false;
    const pack = decodeTelemetryPack(payload);
    if (typeof pack === "string") throw new Error(pack);
    sent.push({ id: nextId, seq: pack.seq, historical: pack.historical });
    return nextId++;
  }, (historical) => ({ historical, bootId: "b" }), { startJitterMs: 0, ...options });
  const pack = (seq: number) => encodePack({ nodeId: "n", bootId: "b", seq, epochAtBoot: 0 }, [{ quality: "good" as const, channel: "temp", unit: "Cel", value: seq, at: seq }]);
  return { mp, forwarder, outbox, counters, sent, pack, setLinkFull: (full: boolean) => { linkFull = full; } };
}

test("live packs go out at once; packs queued while offline go out oldest first, flagged historical", (t) => {
  const { forwarder, sent, pack } = rig();
  forwarder.add(pack(1));
  forwarder.add(pack(2));
  t.deepEqual(sent, [], "offline: nothing sent");
  forwarder.online();
  forwarder.add(pack(3));
  t.deepEqual(sent.map((s) => [s.seq, s.historical]), [[1, true], [2, true], [3, false]]);
});

test("in flight at a disconnect: sent again after the reconnect, as historical", (t) => {
  const { forwarder, sent, pack } = rig();
  forwarder.online();
  forwarder.add(pack(1));
  forwarder.add(pack(2));
  forwarder.ack(sent[0].id);
  forwarder.offline();
  forwarder.online();
  t.deepEqual(sent.map((s) => [s.seq, s.historical]), [[1, false], [2, false], [2, true]]);
});

test("at most maxInFlight unacknowledged; each PUBACK lets the next one go", (t) => {
  const { forwarder, sent, pack, outbox } = rig({ maxInFlight: 3, ratePerSec: 1000, burst: 100 });
  for (let i = 1; i <= 10; i++) forwarder.add(pack(i));
  forwarder.online();
  t.is(sent.length, 3);
  forwarder.ack(sent[0].id);
  t.is(sent.length, 4);
  t.is(outbox.depth, 9);
});

test("a backlog drains at the configured rate after the burst (token bucket on virtual time)", (t) => {
  const { mp, forwarder, sent, pack } = rig({ ratePerSec: 5, burst: 10, maxInFlight: 100 });
  for (let i = 1; i <= 60; i++) forwarder.add(pack(i));
  forwarder.online();
  t.is(sent.length, 10, "the burst");
  mp.advance(1000);
  t.is(sent.length, 15, "then 5 a second");
  mp.advance(4000);
  t.is(sent.length, 35);
  t.deepEqual(sent.map((s) => s.seq), [...Array(35).keys()].map((i) => i + 1), "oldest first");
});

test("a full link is retried on pump (onWritable), nothing is lost or reordered", (t) => {
  const { forwarder, sent, pack, setLinkFull } = rig();
  forwarder.online();
  setLinkFull(true);
  forwarder.add(pack(1));
  forwarder.add(pack(2));
  t.is(sent.length, 0);
  setLinkFull(false);
  forwarder.pump();
  t.deepEqual(sent.map((s) => s.seq), [1, 2]);
});

test("with a backlog, the replay starts after a random delay within startJitterMs", (t) => {
  const { mp, forwarder, sent, pack } = rig({ startJitterMs: 5000, burst: 2 });
  for (let i = 1; i <= 5; i++) forwarder.add(pack(i));
  forwarder.online();
  t.is(sent.length, 0, "not at once");
  mp.advance(5000);
  t.true(sent.length > 0);
});
