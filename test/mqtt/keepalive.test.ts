/**
 * Link faults: a frozen broker (SIGSTOP) and a hostile peer. The real
 * simulator runs as a subprocess; its console and log show what it saw.
 */
import * as net from "node:net";
import mqttPacket from "mqtt-packet";
import { startSim } from "../helpers/sim-process.js";
import { fastNodeArgs, persistentMosquitto, rebootAndAwaitFirstBoot, serialBrokerTest, stateDir } from "../helpers/fast-node.js";
import { startSubscriber } from "../helpers/mqtt-subscriber.js";
import { unexplainedDuplicates } from "../helpers/tele-ledger.js";
import test from "ava";

serialBrokerTest("SIGSTOP'd broker: keepalive declares the link dead, the node recovers after SIGCONT and loses nothing", async (t) => {
  const broker = (await persistentMosquitto())!;
  const dir = await stateDir();
  const sub = startSubscriber(broker.port, ["fieldnode/frozen/#"], "ledger-frozen");
  const sim = startSim(fastNodeArgs(broker.url, "frozen", dir, ["--override", "mqtt.keepalive=5"]));
  try {
    await sub.waitConnected(10_000);
    await sub.waitFor((ms) => ms.filter((m) => m.topic.endsWith("/tele")).length >= 10, 20_000, "live telemetry");
    const from = sim.output.length;
    broker.pause();
    await sim.waitFor(/WARN mqtt: keepalive: /, 20_000, from);
    broker.resume();
    await sim.waitFor(/INFO mqtt: connected to/, 30_000, from);
    const status = (await sim.command("status")).join("\n");
    t.regex(status, /mqtt_fail_keepalive=1\b/);
    t.regex(status, /mqtt: connected/);
    const { boot1 } = await rebootAndAwaitFirstBoot(sim, sub, broker.url, "frozen", dir);
    t.deepEqual(boot1.missing, []);
    t.deepEqual(unexplainedDuplicates(boot1), []);
  } finally {
    sub.close();
    if (sim.child.exitCode === null) sim.child.kill("SIGKILL");
    broker.resume();
    await broker.stop();
  }
});

/** Each connection gets the next misbehaviour, round robin. */
const HOSTILE: ((socket: net.Socket) => void)[] = [
  // Garbage instead of CONNACK.
  (s) => s.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x02])),
  // CONNACK, then a PUBLISH whose remaining length never ends.
  (s) => { s.write(mqttPacket.generate({ cmd: "connack", returnCode: 0, sessionPresent: false })); s.write(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x7f])); },
  // CONNACK, a command whose payload is not CBOR, then a second CONNACK (not allowed).
  (s) => {
    s.write(mqttPacket.generate({ cmd: "connack", returnCode: 0, sessionPresent: false }));
    s.write(mqttPacket.generate({ cmd: "publish", topic: "fieldnode/hostile/cmd/ping", payload: Buffer.from([0xff, 0x00, 0x9f]), qos: 0, retain: false, dup: false }));
    setTimeout(() => s.write(mqttPacket.generate({ cmd: "connack", returnCode: 0, sessionPresent: false })), 200);
  },
  // CONNACK refusing with "not authorized".
  (s) => s.write(mqttPacket.generate({ cmd: "connack", returnCode: 5, sessionPresent: false })),
  // A packet announcing 200 MB.
  (s) => s.write(Buffer.from([0x30, 0x80, 0x80, 0x80, 0x60])),
];

test.serial("a hostile peer sending malformed MQTT does not crash the node; each failure is reported by stage", async (t) => {
  let connections = 0;
  const server = net.createServer((socket) => {
    const behave = HOSTILE[connections++ % HOSTILE.length];
    socket.on("error", () => undefined);
    socket.once("data", () => behave(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  const sim = startSim(fastNodeArgs(`mqtt://127.0.0.1:${port}`, "hostile", await stateDir()));
  try {
    for (let i = 0; i < 12 && connections < 2 * HOSTILE.length; i++) await new Promise((r) => setTimeout(r, 1000));
    t.true(connections >= HOSTILE.length, `the node kept reconnecting (${connections} connections)`);
    t.is(sim.child.exitCode, null, "the node is still running");
    const status = (await sim.command("status")).join("\n");
    t.regex(status, /mqtt_fail_protocol=\d+/);
    t.regex(status, /mqtt_fail_connack=\d+/);
    t.regex(status, /cmd_errors=\d+/, "the non-CBOR command was refused");
    t.regex(status, /samples=\d+/, "sampling went on");
  } finally {
    sim.child.kill("SIGKILL");
    server.close();
  }
});
