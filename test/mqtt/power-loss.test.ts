/**
 * Power loss during a broker outage (issue 7 item 12): the real simulator,
 * killed with SIGKILL while a spawned Mosquitto is away, loses no pack it
 * had closed: only the readings of its open batch. A subscriber with a
 * persistent session counts every pack by (boot id, seq).
 */
import { startSim } from "../helpers/sim-process.js";
import { fastNodeArgs, persistentMosquitto, serialBrokerTest, sleep, stateDir } from "../helpers/fast-node.js";
import { startSubscriber } from "../helpers/mqtt-subscriber.js";
import { contiguousUpTo, ledger, unexplainedDuplicates } from "../helpers/tele-ledger.js";

/** fastNodeArgs with the shipped offline behaviour: the journal takes each pack at once (no offline-flush-ms). */
const args = (url: string, id: string, dir: string) => fastNodeArgs(url, id, dir).map((a) => a.replace(/,?offline-flush-ms=\d+/, ""));

serialBrokerTest("SIGKILL during an outage loses no closed pack: every pack made before the kill is replayed after the reboot", async (t) => {
  const broker = (await persistentMosquitto())!;
  const dir = await stateDir();
  const sub = startSubscriber(broker.port, ["fieldnode/plost/#"], "ledger-plost");
  let sim = startSim(args(broker.url, "plost", dir));
  try {
    await sub.waitConnected(10_000);
    await sub.waitFor((ms) => ms.filter((m) => m.topic.endsWith("/tele")).length >= 10, 20_000, "live telemetry");
    broker.kill("SIGTERM");
    await sim.waitFor(/WARN mqtt: (closed|tcp)/, 15_000);
    await sleep(2500); // about 25 packs made while the broker is away
    // How many packs the node has closed: every one of them must survive the power loss.
    const status = (await sim.command("status")).join("\n");
    const made = Number(/tele_packs=(\d+)/.exec(status)?.[1]);
    sim.child.kill("SIGKILL"); // power loss: no shutdown code runs
    await sim.exited;
    const liveMax = ledger(sub.messages, "plost")[0].max;
    t.true(made > liveMax + 10, `${made - liveMax} packs made during the outage`);
    await broker.restart();
    sim = startSim(args(broker.url, "plost", dir));
    await sub.waitFor(() => contiguousUpTo(ledger(sub.messages, "plost")[0]) >= made, 30_000, `boot 1's packs 1-${made} after the reboot`);
    const boot1 = ledger(sub.messages, "plost")[0];
    t.deepEqual(boot1.missing, [], "no gaps");
    t.true(boot1.max >= made, `the last pack of boot 1 (${boot1.max}) is at least the last one counted before the kill (${made})`);
    t.deepEqual(unexplainedDuplicates(boot1), []);
    t.log(`boot 1: ${liveMax} live, ${boot1.max - liveMax} made during the outage and all replayed (${boot1.max - made} closed between status and the kill)`);
  } finally {
    sub.close();
    if (sim.child.exitCode === null) sim.child.kill("SIGKILL");
    await broker.stop();
  }
});
