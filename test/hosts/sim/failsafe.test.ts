/**
 * The actuator link-loss failsafe end to end: a spawned simulator, a relay
 * switched on by an MQTT `cmd/act`, the broker (a spawned Mosquitto) killed.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { decode, encode } from "cbor-x";
import { PROFILE_DIR } from "../../../hosts/sim/machines/machine.js";
import { brokerTest, startMosquitto, type Mosquitto } from "../../helpers/mosquitto.js";
import { mosquittoSub, type SubReceived } from "../../helpers/mosquitto-sub.js";
import { startSim, type SimProcess } from "../../helpers/sim-process.js";

const ID = "failsafe-1";
/** A topic the test's subscriber matches and the node ignores (not under cmd/). */
const PROBE = `fieldnode/${ID}/test-probe`;

/** Publishes `cmd/act` (QoS 1) with mosquitto_pub. */
async function commandAct(broker: Mosquitto, dir: string, id: string, value: boolean): Promise<void> {
  const file = join(dir, `${id}.cbor`);
  writeFileSync(file, encode({ id, name: "drain", value }));
  await promisify(execFile)("mosquitto_pub", ["-h", broker.host, "-p", String(broker.port), "-q", "1", "-t", `fieldnode/${ID}/cmd/act`, "-f", file]);
}

const responses = (messages: SubReceived[]) => messages.filter((m) => m.topic === `fieldnode/${ID}/resp`).map((m) => decode(m.payload) as { id: string; ok: boolean; code?: string });
const events = (messages: SubReceived[]) => messages.filter((m) => m.topic === `fieldnode/${ID}/evt`).map((m) => decode(m.payload) as Record<string, unknown>);

/** Sends `cmd/act drain <value>`; throws when the node refuses it. */
async function switchDrain(broker: Mosquitto, dir: string, sub: ReturnType<typeof mosquittoSub>, value: boolean, tag: string): Promise<void> {
  await commandAct(broker, dir, tag, value);
  await sub.until((all) => responses(all).some((r) => r.id === tag), 20_000);
  const response = responses(sub.messages).find((r) => r.id === tag)!;
  if (!response.ok) throw new Error(`cmd/act refused: ${JSON.stringify(response)}`);
}

const actLine = async (sim: SimProcess) => (await sim.command("act")).join("\n");

brokerTest("failsafe: broker killed with the relay on by cmd/act, after failsafe_s the relay goes safe, the act event names failsafe once the broker is back, and it stays safe until commanded", async (t) => {
  const broker = await startMosquitto({ extraConfig: "max_queued_messages 0\nmax_inflight_messages 0\n" });
  if (!broker) return;
  const dir = mkdtempSync(join(tmpdir(), "fieldnode-failsafe-"));
  let sub = mosquittoSub(broker.port, `fieldnode/${ID}/#`);
  await sub.subscribed(PROBE);
  // The tank with its drain relay (safe state off) given a failsafe after 5 s of machine time (0.5 s real at 10x).
  const tank = JSON.parse(readFileSync(join(PROFILE_DIR, "tank.json"), "utf8")) as { actuators: { name: string }[]; rules?: unknown[] };
  // Without the tank's own rules (pump-down holds the drain by source rule, above remote): this is about the failsafe alone.
  delete tank.rules;
  // No minimum on/off times: a command applies at once.
  Object.assign(tank.actuators.find((a) => a.name === "drain")!, { failsafe_s: 5, min_on_s: 0, min_off_s: 0 });
  const profile = join(dir, "tank-failsafe.json");
  writeFileSync(profile, JSON.stringify(tank));
  const sim = startSim(["--profile", profile, "--speed", "10", "--broker", broker.url, "--id", ID, "--state", join(dir, "state")]);
  try {
    await sim.waitFor(/INFO mqtt: connected/, 30_000);
    // "connected" is logged before the node subscribes to its commands; its birth is published after
    // the SUBSCRIBE on the same connection, so once the birth is here a command cannot be lost.
    await sub.until((all) => all.some((m) => m.topic === `fieldnode/${ID}/birth`), 30_000);
    await switchDrain(broker, dir, sub, true, "on");
    t.regex(await actLine(sim), /drain=on by remote/);
    await sub.until((all) => events(all).some((e) => e.kind === "act" && e.source === "remote" && e.value === 100), 20_000);
    // The failsafe also counts from boot (README "Actuators"; test/io/actuators.test.ts "failsafe at boot"):
    // when the first connect takes longer than failsafe_s of machine time (0.5 s real, often so on a
    // loaded machine), it holds the already safe drain and that event arrives once connected. Allowed,
    // but only that one: safe state before and after, and before the remote command.
    const before = events(sub.messages);
    const onAt = before.findIndex((e) => e.kind === "act" && e.source === "remote" && e.value === 100);
    for (const e of before.slice(0, onAt).filter((e) => e.source === "failsafe")) t.like(e, { act: "drain", value: 0, was: 0 }, "a failsafe before the broker was killed is the one at boot");

    const from = sim.output.length;
    broker.kill("SIGKILL");
    await sim.waitFor(/drain set to off by failsafe/, 60_000, from);
    t.regex(await actLine(sim), /drain=off by failsafe/);
    t.false(events(sub.messages).slice(onAt).some((e) => e.source === "failsafe"), "no failsafe event could reach the dead broker (nor came while it was up)");
    sub.stop();

    // The node must not reconnect before the new subscriber listens: freeze it while the broker comes back.
    sim.child.kill("SIGSTOP");
    await new Promise((r) => setTimeout(r, 200));
    await broker.restart();
    sub = mosquittoSub(broker.port, `fieldnode/${ID}/#`);
    await sub.subscribed(PROBE);
    sim.child.kill("SIGCONT");
    await sub.until((all) => events(all).some((e) => e.kind === "act" && e.source === "failsafe"), 60_000);
    const event = events(sub.messages).find((e) => e.kind === "act" && e.source === "failsafe")!;
    t.like(event, { act: "drain", value: 0, was: 100 });

    // Broker back: the relay stays safe (20 s of machine time later) until the next command.
    await sim.waitFor(/INFO mqtt: connected/, 30_000, from);
    await new Promise((r) => setTimeout(r, 2000));
    t.regex(await actLine(sim), /drain=off by failsafe/);
    await switchDrain(broker, dir, sub, true, "again");
    t.regex(await actLine(sim), /drain=on by remote/);
  } finally {
    sim.child.kill("SIGCONT");
    sim.child.kill("SIGKILL");
    sub.stop();
    await broker.stop();
  }
});
