/**
 * The node's MQTT contract end to end (docs/contracts.md): state and will,
 * birth, telemetry clock flags and re-basing, and commands with responses;
 * the real simulator against a Mosquitto the test spawns.
 */
import { Decoder, encode } from "cbor-x";
import { startSim } from "../helpers/sim-process.js";
import { fastNodeArgs, persistentMosquitto, serialBrokerTest, sleep, stateDir } from "../helpers/fast-node.js";
import { startSubscriber, type Received } from "../helpers/mqtt-subscriber.js";
import { decodeTelemetryPack, type DecodedPack } from "../../modules/telemetry/telemetry-pack.js";

const decoder = new Decoder({ mapsAsObjects: true, useRecords: false } as ConstructorParameters<typeof Decoder>[0]);
const text = (m: Received) => new TextDecoder().decode(m.payload);
const on = (suffix: string) => (m: Received) => m.topic.endsWith(suffix);

serialBrokerTest("state, birth, clock re-basing, commands and the will, as docs/contracts.md says", async (t) => {
  const broker = (await persistentMosquitto())!;
  broker.kill("SIGTERM"); // the node boots with no broker and an unsynchronised clock
  const sub0 = startSubscriber(broker.port, ["fieldnode/up1/#"], "contract-up1");
  const sim = startSim(fastNodeArgs(broker.url, "up1", await stateDir(), ["--clock-sync-delay", "2500"]));
  try {
    await sim.waitFor(/WARN mqtt: tcp: /, 15_000);
    await sleep(4000); // packs made before and after the clock synchronised wait in the outbox
    await broker.restart();
    const sub = sub0;
    await sub.waitFor((ms) => ms.some(on("/state")) && ms.some(on("/birth")) && ms.filter(on("/tele")).length >= 45, 30_000, "state, birth and telemetry");

    const state = sub.messages.filter(on("/state")).at(-1)!;
    t.is(text(state), "online");
    const birth = decoder.decode(sub.messages.find(on("/birth"))!.payload) as Record<string, unknown>;
    t.like(birth, { node: "up1", fw: "0.1.0", host: "sim", reset: "power-on" });
    t.regex(String(birth.boot), /^[0-9a-f]{8}$/);
    t.regex(String(birth.cfg), /^[0-9a-f]{8}$/);
    t.deepEqual((birth.channels as Record<string, unknown>[]).map((c) => [c.n, c.u, c.acc]).sort(), [["rh", "%RH", 3], ["temp", "Cel", 0.3]]);
    t.like(birth.outbox as object, { dropped: 0, torn: 0, max: 64 });

    const packs = sub.messages.filter(on("/tele")).map((m) => decodeTelemetryPack(m.payload) as DecodedPack);
    t.true(packs.every((p) => typeof p !== "string" && p.bootId === birth.boot));
    const early = packs.filter((p) => p.clock === "rebased");
    t.true(early.length > 0, "packs made before the clock synchronised were re-based before sending");
    t.true(early.every((p) => p.historical && p.bt > 1_600_000_000), "re-based packs carry epoch seconds and _hist");
    t.true(packs.some((p) => p.clock === "wall"), "later packs carry wall time");
    t.false(packs.some((p) => p.clock === "uptime"), "nothing queued for this boot leaves with uptime stamps once the clock is known");
    const ordered = packs.map((p) => p.seq);
    t.deepEqual(ordered.slice(0, early.length), [...ordered.slice(0, early.length)].sort((a, b) => a - b), "replayed oldest first");

    const command = async (verb: string, payload: unknown) => {
      const id = (payload as Map<string, unknown>).get?.("id");
      const before = sub.messages.filter(on("/resp")).length;
      sub.publish(`fieldnode/up1/cmd/${verb}`, new Uint8Array(encode(payload)));
      await sub.waitFor((ms) => ms.filter(on("/resp")).length > before, 10_000, `the response to ${verb} ${String(id)}`);
      return decoder.decode(sub.messages.filter(on("/resp")).at(-1)!.payload) as Record<string, unknown>;
    };
    t.like(await command("ping", new Map([["id", "p1"]])), { id: "p1", ok: true });
    const read = await command("read", new Map([["id", "r1"], ["ch", "temp"]]));
    t.like(read, { id: "r1", ok: true });
    t.like(read.result as object, { n: "temp", u: "Cel" });
    t.like(await command("ping", new Map([["id", "p1"]])), { id: "p1", ok: true, dup: true });
    t.like(await command("launch", new Map([["id", "x1"]])), { id: "x1", ok: false, code: "unknown_verb" });
    t.like(await command("set", new Map<string, unknown>([["id", "s1"], ["keys", new Map([["mqtt.url", "mqtt://evil.example:1883"]])]])), { id: "s1", ok: false, code: "not_allowed" });
    t.like(await command("ping", new Map<string, unknown>([["id", "e1"], ["exp", 1_000_000_000]])), { id: "e1", ok: false, code: "expired" });
    t.like(await command("act", new Map<string, unknown>([["id", "a1"], ["name", "nothere"], ["value", 1]])), { id: "a1", ok: false, code: "not_found" });
    t.like(await command("ping", Uint8Array.from([1, 2, 3])), { id: null, ok: false, code: "bad_request" });
    const births = sub.messages.filter(on("/birth")).length;
    t.like(await command("rebirth", new Map([["id", "b1"]])), { id: "b1", ok: true });
    await sub.waitFor((ms) => ms.filter(on("/birth")).length > births, 10_000, "a new birth");

    sim.child.kill("SIGKILL");
    await sub.waitFor((ms) => text(ms.filter(on("/state")).at(-1)!) === "offline", 15_000, "the will: retained offline");
    t.pass();
  } finally {
    sub0.close();
    if (sim.child.exitCode === null) sim.child.kill("SIGKILL");
    await broker.stop();
  }
});
