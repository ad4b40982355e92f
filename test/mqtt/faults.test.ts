/**
 * Fault tests: the real simulator (a subprocess) against a Mosquitto the
 * test spawns. A subscriber with a persistent session counts every
 * telemetry pack by (boot id, seq) from the payload alone.
 */
import { readdirSync } from "node:fs";
import { startSim } from "../helpers/sim-process.js";
import { fastNodeArgs, persistentMosquitto, rebootAndAwaitFirstBoot, serialBrokerTest, sleep, stateDir } from "../helpers/fast-node.js";
import { startSubscriber } from "../helpers/mqtt-subscriber.js";
import { contiguousUpTo, ledger, ledgerOrder, unexplainedDuplicates } from "../helpers/tele-ledger.js";

serialBrokerTest("broker killed and restarted 4 times under 10 packs/s: no QoS 1 pack lost, every duplicate explained", async (t) => {
  const broker = (await persistentMosquitto())!;
  const dir = await stateDir();
  const sub = startSubscriber(broker.port, ["fieldnode/fault1/#"], "ledger-fault1");
  const sim = startSim(fastNodeArgs(broker.url, "fault1", dir));
  const teleCount = () => sub.messages.filter((m) => m.topic.endsWith("/tele")).length;
  try {
    await sub.waitConnected(10_000);
    await sub.waitFor(() => teleCount() >= 20, 20_000, "20 packs before the first fault");
    for (let round = 0; round < 4; round++) {
      broker.kill("SIGTERM");
      await sleep(1500); // the node keeps sampling into its outbox
      await broker.restart();
      const seen = teleCount();
      await sub.waitFor(() => teleCount() >= seen + 15, 20_000, `telemetry flowing again after restart ${round + 1}`);
    }
    const status = await sim.command("status");
    t.regex(status.join("\n"), /dropped 0, thinned 0, torn 0/, "the outbox bound was never hit");
    t.regex(status.join("\n"), /mqtt_fail_closed=\d+|mqtt_fail_tcp=\d+/, "the faults were seen by the node");
    // Stop gracefully: the unsent tail goes to flash; the next boot replays it.
    const { last, boot1 } = await rebootAndAwaitFirstBoot(sim, sub, broker.url, "fault1", dir);
    t.true(last > 50, `boot 1 made ${last} packs`);
    t.deepEqual(boot1.missing, [], "no gaps");
    t.is(boot1.max, last, "nothing after the last pack the node made");
    t.deepEqual(unexplainedDuplicates(boot1), [], "every re-sent copy carries _hist or is the broker's byte-identical redelivery");
    const identical = boot1.duplicates.filter((seq) => boot1.bytes.get(seq)!.slice(1).every((b) => b.length === boot1.bytes.get(seq)![0].length && b.every((x, i) => x === boot1.bytes.get(seq)![0][i]))).length;
    t.log(`boot 1: ${last} packs, ${boot1.duplicates.length} duplicate(s): ${identical} byte-identical broker redeliveries, the rest re-sent by the node with _hist; ` +
      `${[...boot1.copies.values()].filter((c) => c.every((p) => p.historical)).length} delivered only as historical replays`);
  } finally {
    sub.close();
    if (sim.child.exitCode === null) sim.child.kill("SIGKILL");
    await broker.stop();
  }
});

serialBrokerTest("SIGKILL of the simulator while the broker is away: the flash outbox survives and is replayed, oldest first, as historical", async (t) => {
  const broker = (await persistentMosquitto())!;
  const dir = await stateDir();
  const sub = startSubscriber(broker.port, ["fieldnode/fault2/#"], "ledger-fault2");
  let sim = startSim(fastNodeArgs(broker.url, "fault2", dir));
  try {
    await sub.waitConnected(10_000);
    await sub.waitFor((ms) => ms.filter((m) => m.topic.endsWith("/tele")).length >= 10, 20_000, "live telemetry");
    broker.kill("SIGTERM");
    await sim.waitFor(/WARN mqtt: (closed|tcp)/, 15_000);
    await sleep(3000); // ~30 packs into the outbox; flushed to flash every 300 ms
    t.true(readdirSync(dir).some((f) => /^ob\.\d+$/.test(f)), "outbox segments are on flash");
    sim.child.kill("SIGKILL"); // power loss: no shutdown code runs
    await sim.exited;
    const liveMax = ledger(sub.messages, "fault2")[0].max;
    await broker.restart();
    sim = startSim(fastNodeArgs(broker.url, "fault2", dir));
    const restored = Number((await sim.waitFor(/restored (\d+) message/, 15_000))[1]);
    t.true(restored >= 10, `restored ${restored} packs from flash`);
    await sub.waitFor(() => {
      const boots = ledger(sub.messages, "fault2");
      return boots.length >= 2 && contiguousUpTo(boots[0]) >= liveMax + 10;
    }, 30_000, "boot 1's stored packs replayed after the reboot");
    const [boot1, boot2] = ledger(sub.messages, "fault2");
    t.deepEqual(boot1.missing, [], "boot 1 has no gaps up to its last persisted pack");
    const replayed = [...boot1.copies.entries()].filter(([seq]) => seq > liveMax).map(([, copies]) => copies[0]);
    t.true(replayed.length >= 10);
    t.true(replayed.every((p) => p.historical), "replayed packs carry _hist");
    const order = sub.messages.filter((m) => m.topic.endsWith("/tele")).map((m) => m.payload);
    const replayOrder = ledgerOrder(sub.messages, "fault2", boot1.bootId).filter((seq) => seq > liveMax);
    t.deepEqual(replayOrder, [...replayOrder].sort((a, b) => a - b), "the replay goes oldest first");
    t.truthy(boot2, "the new boot publishes under its own boot id");
    t.deepEqual(unexplainedDuplicates(boot1), []);
    t.log(`boot 1: ${liveMax} live, ${replayed.length} replayed from flash after SIGKILL; lost at most the last unflushed ~300 ms; ${order.length} packs in all`);
  } finally {
    sub.close();
    if (sim.child.exitCode === null) sim.child.kill("SIGKILL");
    await broker.stop();
  }
});
