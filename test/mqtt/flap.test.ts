/**
 * Reconnect storm (issue 7, item 2): a broker that drops every link right
 * after CONNACK (an auth plugin, a second node with the same client id).
 * Virtual time; the transport is scripted.
 */
import test from "ava";
import { Counters } from "../../modules/counters.js";
import { Logger } from "../../modules/log.js";
import { MqttSession, type SessionOptions } from "../../modules/mqtt/session.js";
import { nodeTopics } from "../../modules/mqtt/topics.js";
import type { MqttConnectOptions, MqttEvents } from "../../modules/platform.js";
import { memoryPlatform } from "../helpers/memory-platform.js";
import { seededRandom } from "../helpers/seeded-random.js";

/** Each connect gets CONNACK after 20 ms; the broker then drops it after `upMs(n)` (n = connect number, from 0). */
function rig(upMs: (n: number) => number, random: () => number, options: SessionOptions = {}) {
  const mp = memoryPlatform();
  mp.platform.system.random = random;
  const connects: number[] = [];
  (mp.platform as { mqtt: unknown }).mqtt = {
    connect(_options: MqttConnectOptions, e: MqttEvents) {
      const n = connects.push(mp.platform.clock.monotonic()) - 1;
      let open = true;
      const close = (message: string) => { if (open) { open = false; e.onClose({ stage: "closed", message }); } };
      mp.platform.timers.once(() => {
        e.onConnect(false);
        mp.platform.timers.once(() => close("connection closed by the broker"), upMs(n));
      }, 20);
      return { publish: () => 1, subscribe: () => undefined, disconnect: () => close("bye"), destroy: () => close("destroyed") };
    },
  };
  const counters = new Counters();
  const session = new MqttSession(mp.platform, new Logger(mp.platform), counters,
    { url: "mqtt://broker:1883", prefix: "fieldnode", keepalive: 30, username: "", password: "" }, "n1", nodeTopics("fieldnode", "n1"),
    { onConnected: () => undefined, onMessage: () => undefined, onPuback: () => undefined, onWritable: () => undefined }, options);
  return { mp, session, counters, connects };
}

const perMinute = (connects: number[], minute: number) => connects.filter((at) => at >= minute * 60_000 && at < (minute + 1) * 60_000).length;

test("a broker that drops every link right after CONNACK sees the backoff widen to its cap, not ~100 connects a minute", (t) => {
  const { mp, session, counters, connects } = rig(() => 5, seededRandom(0xf1a9));
  session.start();
  for (let s = 0; s < 30 * 60; s++) mp.advance(1000);
  // Full jitter in a window that doubles from 1 s to the 60 s cap: after the first minutes, about 2 a minute.
  t.true(perMinute(connects, 0) <= 12, `minute 0: ${perMinute(connects, 0)} connects`);
  const late = Array.from({ length: 20 }, (_, i) => perMinute(connects, 10 + i));
  t.true(late.every((n) => n <= 8), `minutes 10-29: ${late.join(",")}`);
  t.true(late.reduce((a, b) => a + b) <= 80, `minutes 10-29: ${late.reduce((a, b) => a + b)} connects`);
  t.is(counters.get("mqtt_flaps"), connects.length - (session.state === "connected" ? 1 : 0));
  t.is(counters.get("mqtt_connects"), connects.length);
  t.true(mp.logs.some((l) => /WARN mqtt: closed: connection closed by the broker \(up 0\.0 s: a flap, backoff not reset\); retry in/.test(l)));
  t.regex(session.describe(), /attempt (\d{2,})/, "the attempt count keeps growing");
});

test("with random() = 0.5 the waits after flaps are half of each window: 0.5, 1, 2, 4 ... 30 s", (t) => {
  const { mp, session, connects } = rig(() => 5, () => 0.5);
  session.start();
  for (let s = 0; s < 10 * 60; s++) mp.advance(1000);
  // Each gap = 20 ms to CONNACK + 5 ms up + the backoff delay.
  const gaps = connects.slice(1, 10).map((at, i) => at - connects[i] - 25);
  t.deepEqual(gaps, [500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
});

test("a link that stayed up for stableMs resets the backoff and is no flap", (t) => {
  // Up 90 s (past the 60 s default), then 5 ms, then 90 s again.
  const { mp, session, counters, connects } = rig((n) => (n % 2 === 0 ? 90_000 : 5), () => 0.5);
  session.start();
  for (let s = 0; s < 4 * 60; s++) mp.advance(1000);
  const gaps = connects.slice(1, 5).map((at, i) => at - connects[i]);
  // After a stable link the window is back at its base (0.5 s); after a flap it doubles.
  t.deepEqual(gaps, [20 + 90_000 + 500, 20 + 5 + 1000, 20 + 90_000 + 500, 20 + 5 + 1000]);
  t.is(counters.get("mqtt_flaps"), 2);
});

test("stableMs is a SessionOptions field; a bad value is a RangeError", (t) => {
  const { mp, session, counters, connects } = rig(() => 2_000, () => 0.5, { stableMs: 1_000 });
  session.start();
  for (let s = 0; s < 60; s++) mp.advance(1000);
  const gaps = connects.slice(1, 4).map((at, i) => at - connects[i]);
  t.deepEqual(gaps, [20 + 2_000 + 500, 20 + 2_000 + 500, 20 + 2_000 + 500]);
  t.is(counters.get("mqtt_flaps"), 0);
  t.throws(() => rig(() => 5, () => 0.5, { stableMs: -1 }), { instanceOf: RangeError, message: "stableMs must be >= 0, got -1" });
});
