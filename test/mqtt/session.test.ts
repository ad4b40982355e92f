import test from "ava";
import { Counters } from "../../modules/counters.js";
import { Logger } from "../../modules/log.js";
import { MqttSession } from "../../modules/mqtt/session.js";
import { nodeTopics } from "../../modules/mqtt/topics.js";
import type { MqttConnectOptions, MqttEvents, MqttFailure, MqttFailureStage } from "../../modules/platform.js";
import { decodeUtf8 } from "../../modules/util/utf8.js";
import { memoryPlatform } from "../helpers/memory-platform.js";

/** A scripted transport: each connect() takes the next outcome ("ok" or a failure stage). */
function rig(outcomes: ("ok" | MqttFailureStage)[]) {
  const mp = memoryPlatform();
  const attempts: { at: number; options: MqttConnectOptions }[] = [];
  const published: { topic: string; payload: string; retain: boolean }[] = [];
  const subscribed: string[] = [];
  let events: MqttEvents | undefined;
  mp.platform.system.random = () => 0.5;
  (mp.platform as { mqtt: unknown }).mqtt = {
    connect(options: MqttConnectOptions, e: MqttEvents) {
      attempts.push({ at: mp.platform.clock.monotonic(), options });
      events = e;
      const outcome = outcomes.shift() ?? "tcp";
      Promise.resolve().then(() => {
        if (outcome === "ok") e.onConnect(false);
        else e.onClose({ stage: outcome, message: `${outcome} refused (test)`, ...(outcome === "connack" ? { returnCode: 5 } : {}) });
      });
      return {
        publish: (topic: string, payload: Uint8Array, _qos: 0 | 1, retain: boolean) => { published.push({ topic, payload: decodeUtf8(payload), retain }); return published.length; },
        subscribe: (topics: string[]) => subscribed.push(...topics),
        disconnect: () => e.onClose({ stage: "closed", message: "bye" }),
        destroy: () => e.onClose({ stage: "closed", message: "destroyed" }),
      };
    },
  };
  const counters = new Counters();
  const hooks = { connected: 0, disconnected: [] as MqttFailure[] };
  const session = new MqttSession(mp.platform, new Logger(mp.platform), counters,
    { url: "mqtt://broker:1883", prefix: "fieldnode", keepalive: 30, username: "u", password: "secret" }, "n1", nodeTopics("fieldnode", "n1"), {
      onConnected: () => hooks.connected++,
      onMessage: () => undefined,
      onPuback: () => undefined,
      onWritable: () => undefined,
      onDisconnected: (f) => hooks.disconnected.push(f),
    }, { backoffBaseMs: 1000, backoffCapMs: 8000 });
  const settle = () => new Promise((r) => setImmediate(r));
  return { mp, session, counters, attempts, published, subscribed, hooks, settle, close: (f: MqttFailure) => events!.onClose(f) };
}

test("connect options: client id, persistent session, keepalive, credentials, retained offline will", async (t) => {
  const { session, attempts, settle } = rig(["ok"]);
  session.start();
  await settle();
  t.like(attempts[0].options, { clientId: "n1", cleanSession: false, keepalive: 30, username: "u", password: "secret", url: "mqtt://broker:1883" });
  t.like(attempts[0].options.will, { topic: "fieldnode/n1/state", qos: 1, retain: true });
  t.is(decodeUtf8(attempts[0].options.will!.payload), "offline");
});

test("on CONNACK: retained online, then the cmd/# subscription, then the hook", async (t) => {
  const { session, published, subscribed, hooks, settle } = rig(["ok"]);
  session.start();
  await settle();
  t.deepEqual(published, [{ topic: "fieldnode/n1/state", payload: "online", retain: true }]);
  t.deepEqual(subscribed, ["fieldnode/n1/cmd/#"]);
  t.is(hooks.connected, 1);
  t.is(session.state, "connected");
});

test("dns, tcp, tls and connack failures are reported distinctly in counters, status and logs; backoff widens to the cap; no reboot", async (t) => {
  const { mp, session, counters, attempts, settle } = rig(["dns", "tcp", "tls", "connack", "dns", "dns", "ok"]);
  session.start();
  const seen: string[] = [];
  for (let i = 0; i < 6; i++) {
    await settle();
    seen.push(session.describe());
    mp.advance(10_000);
  }
  await settle();
  t.is(session.state, "connected");
  for (const stage of ["dns", "tcp", "tls", "connack"]) t.true(counters.get(`mqtt_fail_${stage}`) >= 1, stage);
  t.regex(seen[0], /last failure dns: dns refused/);
  t.regex(seen[1], /last failure tcp: /);
  t.regex(seen[2], /last failure tls: /);
  t.regex(seen[3], /last failure connack: /);
  t.true(mp.logs.some((l) => /WARN mqtt: tls: tls refused \(test\); retry in/.test(l)));
  // Failure i is seen at 10 s × i; random() = 0.5 gives half of each window: 1 s doubling to the 8 s cap.
  const delays = attempts.slice(1).map((a, i) => a.at - 10_000 * i);
  t.deepEqual(delays, [500, 1000, 2000, 4000, 4000, 4000]);
  t.is(mp.restarts, 0, "the node never reboots for a missing broker");
  t.false(mp.logs.some((l) => l.includes("secret")), "the password is never logged");
});

test("a dropped link calls onDisconnected with its stage and reconnects", async (t) => {
  const { mp, session, hooks, close, counters, settle } = rig(["ok", "ok"]);
  session.start();
  await settle();
  close({ stage: "keepalive", message: "no PINGRESP" });
  t.is(hooks.disconnected[0].stage, "keepalive");
  t.is(counters.get("mqtt_disconnects"), 1);
  mp.advance(1000);
  await settle();
  t.is(hooks.connected, 2);
});
