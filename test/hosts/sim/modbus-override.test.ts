/**
 * A developer's first contact with a real device: `--serial PATH` with the
 * device, a channel and an actuator given by `--override` alone (nothing
 * saved), against modbus-serial's ServerSerial (an independent slave) on
 * one end of a socat pty pair. The actuator is written from the console
 * (`act`) and over MQTT (`cmd/act`, through a spawned Mosquitto), and its
 * link-loss failsafe writes the safe state to the device when the broker
 * goes; the `act` events reach `.../evt`. And `--serial` refuses `--speed`
 * above 1 (the device answers in real time).
 */
import test from "ava";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { decode, encode } from "cbor-x";
import { brokerTest, startMosquitto } from "../../helpers/mosquitto.js";
import { mosquittoSub, type SubReceived } from "../../helpers/mosquitto-sub.js";
import { startIndependentSlave } from "../../helpers/modbus-serial-slave.js";
import { ptyPair } from "../../helpers/pty-pair.js";
import { startSim } from "../../helpers/sim-process.js";


const ID = "mb-override-1";

/** The device: unit 3, a float32 voltage in input registers 2-3 (high word first), holding registers written by the node. */
async function independentSlave(path: string) {
  const holding = new Array<number>(32).fill(0);
  const input = new Array<number>(8).fill(0);
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, 231.5);
  input[2] = view.getUint16(0);
  input[3] = view.getUint16(2);
  const slave = await startIndependentSlave(path, 3, { getHoldingRegister: (a: number) => holding[a] ?? 0, getInputRegister: (a: number) => input[a] ?? 0, getCoil: () => false, getDiscreteInput: () => false, setRegister: (a: number, v: number) => void (holding[a] = v), setCoil: () => {} });
  return { holding, close: slave.close };
}

/** The whole node config of the run, as --override flags: a meter at unit 3, its voltage channel, a setpoint actuator with a 3 s failsafe. */
const OVERRIDES = [
  "mb.meter.address=3", "mb.meter.parity=none", "mb.meter.timeout=1000", "mb.meter.poll=500",
  "ch.v.type=modbus", "ch.v.device=meter", "ch.v.function=input", "ch.v.register=2", "ch.v.format=f32", "ch.v.unit=V",
  "act.sp.type=modbus_register", "act.sp.device=meter", "act.sp.register=10", "act.sp.scale=0.1", "act.sp.max=100", "act.sp.safe_state=5", "act.sp.failsafe_s=3",
].flatMap((o) => ["--override", o]);

const until = async (check: () => boolean | Promise<boolean>, ms: number, what: string) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

test("--serial with --speed above 1: refused with one clear message, exit 2, nothing started", async (t) => {
  const sim = startSim(["--serial", "/dev/null", "--speed", "10", "--state", mkdtempSync(join(tmpdir(), "fieldnode-"))]);
  t.teardown(() => void sim.child.kill("SIGKILL"));
  t.is(await sim.exited, 2);
  t.regex(sim.stderr.split("\n")[0], /^fieldnode-sim: --serial and --speed 10 do not go together: the device on \/dev\/null answers in real time/);
  t.notRegex(sim.output, /embedded broker/);
});

test("--serial with --speed 0.5 (slower than real time) is allowed: the device's answers come early, never late", async (t) => {
  const sim = startSim(["--serial", "/dev/null", "--speed", "0.5", "--broker", "mqtt://127.0.0.1:1", "--state", mkdtempSync(join(tmpdir(), "fieldnode-"))]);
  t.teardown(() => void sim.child.kill("SIGKILL"));
  t.deepEqual((await sim.command("version", 20_000)).at(-1), "OK");
});

brokerTest("device, channel and actuator by --override alone on a real port: the channel reads, console act and MQTT cmd/act write, the failsafe writes the safe state when the broker goes", async (t) => {
  const broker = await startMosquitto({ extraConfig: "max_queued_messages 0\nmax_inflight_messages 0\n" });
  if (!broker) return;
  const pair = await ptyPair();
  const slave = await independentSlave(pair.a);
  const dir = mkdtempSync(join(tmpdir(), "fieldnode-mb-override-"));
  const sub = mosquittoSub(broker.port, `fieldnode/${ID}/#`);
  const sim = startSim(["--serial", pair.b, "--broker", broker.url, "--id", ID, "--state", join(dir, "state"), ...OVERRIDES]);
  const events = (messages: SubReceived[]) => messages.filter((m) => m.topic === `fieldnode/${ID}/evt`).map((m) => decode(m.payload) as Record<string, unknown>);
  try {
    await sim.waitFor(/INFO mqtt: connected/, 30_000);
    // Boot wrote the safe state (5 → register 50).
    await until(() => slave.holding[10] === 50, 10_000, "safe state 5 written as 50");
    // The channel: the device's float, polled.
    let reply: string[] = [];
    await until(async () => /v = 231\.5 V/.test((reply = await sim.command("read v", 20_000)).join("\n")), 20_000, `read v: ${reply.join(" | ")}`);
    t.pass("the modbus channel reads 231.5 V");
    t.regex((await sim.command("get mb.meter.address", 20_000)).join("\n"), /\[override: 3\]/, "a run-only override, not saved");

    // Console test mode writes the device.
    const act = await sim.command("act sp 12.5", 20_000);
    t.is(act.at(-1), "OK", act.join(" | "));
    await until(() => slave.holding[10] === 125, 10_000, "console act written");
    t.regex((await sim.command("act", 20_000)).join("\n"), /sp=12\.5 by console \(\d+ s left\)/);
    t.is((await sim.command("act sp release", 20_000)).at(-1), "OK");
    await until(() => slave.holding[10] === 50, 10_000, "released: safe state again");

    // MQTT cmd/act, answered on resp, the act event on evt.
    const file = join(dir, "act.cbor");
    writeFileSync(file, encode({ id: "a1", name: "sp", value: 42 }));
    await promisify(execFile)("mosquitto_pub", ["-h", broker.host, "-p", String(broker.port), "-q", "1", "-t", `fieldnode/${ID}/cmd/act`, "-f", file]);
    await until(() => slave.holding[10] === 420, 10_000, "cmd/act written");
    await sub.until((all) => events(all).some((e) => e.kind === "act" && e.act === "sp" && e.source === "remote" && e.value === 42), 20_000);
    writeFileSync(join(dir, "bad.cbor"), encode({ id: "a2", name: "sp", value: 500 }));
    await promisify(execFile)("mosquitto_pub", ["-h", broker.host, "-p", String(broker.port), "-q", "1", "-t", `fieldnode/${ID}/cmd/act`, "-f", join(dir, "bad.cbor")]);
    await sub.until((all) => all.some((m) => m.topic === `fieldnode/${ID}/resp` && (decode(m.payload) as { id: string }).id === "a2"), 20_000);
    const refused = sub.messages.map((m) => (m.topic.endsWith("/resp") ? (decode(m.payload) as { id: string; ok: boolean; error?: string }) : undefined)).find((r) => r?.id === "a2")!;
    t.false(refused.ok);
    t.regex(refused.error ?? "", /sp is a Modbus register: value must be a number 0\.\.100, got 500/);
    t.is(slave.holding[10], 420, "the refused value changed nothing");

    // The broker goes: after failsafe_s (3 s) the safe state is written to the device.
    const from = sim.output.length;
    broker.kill("SIGKILL");
    await sim.waitFor(/sp set to 5 by failsafe/, 30_000, from);
    await until(() => slave.holding[10] === 50, 10_000, "failsafe wrote the safe state");
    t.regex((await sim.command("act", 20_000)).join("\n"), /sp=5 by failsafe \(no broker and no command for 3 s\)/);
  } finally {
    sim.child.kill("SIGKILL");
    sub.stop();
    await broker.stop();
    await slave.close();
    pair.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
