/**
 * Commands the node must not let knock it off its broker (issue 7, item 1),
 * against a real Mosquitto with mosquitto_pub as the publisher: a QoS 1
 * command of 300 kB, and retained commands that come back at every subscribe.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { decode, encode } from "cbor-x";
import { startSim, type SimProcess } from "../helpers/sim-process.js";
import { serialBrokerTest, stateDir } from "../helpers/fast-node.js";
import { startMosquitto, type Mosquitto } from "../helpers/mosquitto.js";
import { startSubscriber, type Received } from "../helpers/mqtt-subscriber.js";

const run = promisify(execFile);

/** `mosquitto_pub -q 1 [-r] -t topic -f file` with `payload` written to a temp file. */
async function mosquittoPub(broker: Mosquitto, topic: string, payload: Uint8Array, retain: boolean): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "fieldnode-pub-"));
  try {
    const file = join(dir, "payload");
    await writeFile(file, payload);
    await run("mosquitto_pub", ["-h", broker.host, "-p", String(broker.port), "-q", "1", ...(retain ? ["-r"] : []), "-t", topic, "-f", file]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const command = (id: string) => new Uint8Array(encode(new Map([["id", id]])));
const responses = (messages: Received[]) => messages.filter((m) => m.topic.endsWith("/resp")).map((m) => decode(m.payload) as Record<string, unknown>);
const counter = (status: string, name: string) => Number(new RegExp(`\\b${name}=(\\d+)`).exec(status)?.[1] ?? 0);

async function status(sim: SimProcess): Promise<string> {
  return (await sim.command("status")).join("\n");
}

serialBrokerTest("a 300 kB QoS 1 command is answered too_large and the node keeps its one connection", async (t) => {
  const broker = (await startMosquitto())!;
  const sub = startSubscriber(broker.port, ["fieldnode/big/resp"], "resp-big");
  const sim = startSim(["--broker", broker.url, "--id", "big", "--state", await stateDir()]);
  try {
    await sub.waitConnected(10_000);
    await sim.waitFor(/INFO mqtt: connected to/, 20_000);
    await mosquittoPub(broker, "fieldnode/big/cmd/ping", new Uint8Array(300_000).fill(0x41), false);
    await sub.waitFor((ms) => responses(ms).some((r) => r.code === "too_large"), 20_000, "the too_large answer");
    const [answer] = responses(sub.messages);
    t.is(answer.id, null);
    t.is(answer.ok, false);
    t.regex(String(answer.error), /ping.*300000 bytes/);
    // The link is still there: a normal command is answered on it.
    await mosquittoPub(broker, "fieldnode/big/cmd/ping", command("after"), false);
    await sub.waitFor((ms) => responses(ms).some((r) => r.id === "after"), 20_000, "the answer to the next command");
    const report = await status(sim);
    t.is(counter(report, "mqtt_connects"), 1, report);
    t.is(counter(report, "mqtt_disconnects"), 0);
    t.is(counter(report, "cmd_too_large"), 1);
  } finally {
    sub.close();
    sim.child.kill("SIGKILL");
    await broker.stop();
  }
});

serialBrokerTest("retained commands (a reboot, and one of 300 kB) are never executed, across a reboot; the node says so once per boot", async (t) => {
  const broker = (await startMosquitto())!;
  await mosquittoPub(broker, "fieldnode/ret/cmd/reboot", command("r1"), true);
  await mosquittoPub(broker, "fieldnode/ret/cmd/ping", new Uint8Array(300_000).fill(0x42), true);
  const sub = startSubscriber(broker.port, ["fieldnode/ret/resp"], "resp-ret");
  const sim = startSim(["--broker", broker.url, "--id", "ret", "--state", await stateDir()]);
  try {
    await sub.waitConnected(10_000);
    for (let boot = 1; boot <= 2; boot++) {
      const from = boot === 1 ? 0 : sim.output.length;
      if (boot === 2) sim.send("reboot");
      await sim.waitFor(/INFO mqtt: connected to/, 20_000, from);
      await sim.waitFor(/WARN event: cmd_retained: .*retained/, 20_000, from);
      // A live command after the retained ones: its answer shows they have been handled.
      await mosquittoPub(broker, "fieldnode/ret/cmd/ping", command(`live${boot}`), false);
      await sub.waitFor((ms) => responses(ms).some((r) => r.id === `live${boot}`), 20_000, `the live answer of boot ${boot}`);
      const report = await status(sim);
      t.is(counter(report, "mqtt_connects"), 1, `boot ${boot}: ${report}`);
      t.is(counter(report, "cmd_retained"), 2, `boot ${boot}`);
      t.is((sim.output.slice(from).match(/WARN event: cmd_retained/g) ?? []).length, 1, "said once per boot");
    }
    t.deepEqual(responses(sub.messages).map((r) => r.id), ["live1", "live2"], "nothing answered but the live commands");
    t.notRegex(sim.output, /reboot requested over MQTT/);
  } finally {
    sub.close();
    sim.child.kill("SIGKILL");
    await broker.stop();
  }
});
