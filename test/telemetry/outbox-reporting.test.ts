/**
 * What the node says about its outbox: the `outbox_loss` event and `status`
 * give the same counts (issue 7 item 15), and the stop line reports what
 * really reached flash (item 14). The whole firmware (`startNode`) on the
 * in-memory test platform, in virtual time.
 */
import test from "ava";
import { decode } from "cbor-x";
import { startNode } from "../../modules/node.js";
import { createTestPlatform, type TestPlatform } from "../xs/platform.js";
import { STOP_ACK_WAIT_MS } from "../../modules/telemetry/settle-uplink.js";

/** Runs `ms` in 1 s steps; while `away`, every connection is refused, else the latest is accepted and, with `ack`, every pack acknowledged. */
async function run(test: TestPlatform, ms: number, broker: { away: boolean; ack: boolean }) {
  for (let done = 0; done < ms; done += 1000) {
    await test.timers.advance(1000);
    const latest = test.mqtt.connections[test.mqtt.connections.length - 1];
    if (!latest || latest.closed) continue;
    if (broker.away) test.mqtt.fail({ stage: "tcp", message: "connection refused" });
    else if (!test.mqtt.publishes.some((p) => p.connection === test.mqtt.connections.length - 1)) test.mqtt.accept(false);
    if (broker.ack && !broker.away) {
      for (const p of test.mqtt.publishes.filter((x) => x.qos === 1 && !(x as { acked?: boolean }).acked && x.connection === test.mqtt.connections.length - 1)) {
        (p as { acked?: boolean }).acked = true;
        test.mqtt.ack(p.packetId);
      }
    }
  }
}

async function status(test: TestPlatform): Promise<string> {
  test.console.take();
  test.console.inject("status\r\n");
  await test.timers.advance(0);
  return test.console.take().split("\r\n").find((l) => /^\s*outbox\b/.test(l)) ?? "";
}

const counts = (text: string) => ["dropped", "thinned", "torn"].map((k) => Number(new RegExp(`${k} (\\d+)`).exec(text)?.[1] ?? NaN));

test("the last outbox_loss event and status give the same counts, also for losses found after the reconnect", async (t) => {
  const test = createTestPlatform({ seed: 3 });
  const node = startNode(test.platform, {}, { outbox: { maxSegments: 3 }, forwarder: { startJitterMs: 0, ratePerSec: 1, burst: 1 } });
  await run(test, 10 * 60_000, { away: true, ack: false }); // 120 packs into room for 3 segments
  // Damage the newest closed segment on flash: the replay will find it torn after the event at CONNACK.
  const keys = test.storage.keys().filter((k) => /^ob\.\d+$/.test(k)).sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
  const closed = keys.filter((k) => test.storage.read(k)![18] === 0);
  t.true(closed.length >= 2, `closed segments: ${closed.join(", ")}`);
  const victim = closed[closed.length - 1];
  const bytes = test.storage.read(victim)!;
  bytes[30] ^= 0xff;
  test.storage.write(victim, bytes);
  await run(test, 3 * 60_000, { away: false, ack: true }); // reconnect and drain at 1 pack/s
  const events = test.mqtt.publishes.filter((p) => p.topic.endsWith("/evt")).map((p) => decode(p.payload) as { kind: string; detail: string });
  const losses = events.filter((e) => e.kind === "outbox_loss");
  t.true(losses.length >= 1, "an outbox_loss event");
  const birth = decode(test.mqtt.publishes.find((p) => p.topic.endsWith("/birth"))!.payload) as { outbox: { thinned: number; dropped: number } };
  t.deepEqual([birth.outbox.dropped, birth.outbox.thinned], counts(losses[0].detail).slice(0, 2), "the birth at CONNACK counts what the event at CONNACK says");
  t.true(birth.outbox.thinned > 0);
  const line = await status(test);
  t.regex(line, /torn 1/, "the replay found the damaged segment");
  t.deepEqual(counts(losses[losses.length - 1].detail), counts(line), `event "${losses[losses.length - 1].detail}" against status "${line}"`);
  await node.stop();
});

test("the stop line says how many packs reached flash and how many were lost because the flash refused them", async (t) => {
  const test = createTestPlatform({ seed: 4 });
  const node = startNode(test.platform);
  await run(test, 6000, { away: false, ack: false }); // one pack published at 5 s, no PUBACK yet: in RAM only
  test.storage.full = true; // every write now fails
  const stopping = node.stop(); // waits its bound (virtual time) for PUBACKs this broker never sends
  await test.timers.advanceSettled(STOP_ACK_WAIT_MS);
  await stopping;
  const stopped = test.logs.map((l) => l.line).find((l) => l.includes("stopped (last seq"));
  t.truthy(stopped);
  const [, seq, kept, lost] = /stopped \(last seq (\d+), (\d+) pack\(s\) kept in the outbox, (\d+) lost: flash write failed\)/.exec(stopped!) ?? [];
  t.is(Number(kept), 0, stopped);
  t.is(Number(lost), Number(seq), "every pack of this boot was still unacknowledged");
});
