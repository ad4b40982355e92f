/**
 * Security end to end through the node: Mosquitto with a TLS listener and a
 * password file, the simulator configured at its console (set, save,
 * reboot), and what `status` says for each way the connection can be wrong.
 *
 * Trust: most tests give the simulator the test CA through the host's store
 * (NODE_EXTRA_CA_CERTS), which is what an empty `mqtt.tls_ca` means; the last
 * test sets the CA at the console as `mqtt.tls_ca` (base64 DER) instead.
 */
import test, { type ExecutionContext } from "ava";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeTestCertificates, type TestCertificates } from "../helpers/certs.js";
import { makePasswordFile, mosquittoBinary, startMosquitto, type Mosquitto } from "../helpers/mosquitto.js";
import { startMonitor } from "../helpers/monitor-process.js";
import { mqttStatus, startSim, type SimProcess } from "../helpers/sim-process.js";

const USER = "fieldnode-node";
/** Unique per run, so finding it anywhere in output is never a coincidence. */
const PASSWORD = `pw-${randomBytes(9).toString("base64url")}`;

// Serial: each test sets NODE_EXTRA_CA_CERTS in this worker's environment right before it spawns the simulator.
const brokerTest = mosquittoBinary === undefined
  ? (title: string, _fn: (t: ExecutionContext) => Promise<void>) => test.skip(`${title} (SKIPPED: mosquitto not installed)`, () => undefined)
  : (title: string, fn: (t: ExecutionContext) => Promise<void>) => test.serial(title, fn);

let pki: TestCertificates;
let passwordFile: string;
const dir = mkdtempSync(join(tmpdir(), "fieldnode-security-"));

test.before(async () => {
  if (mosquittoBinary === undefined) return;
  pki = await makeTestCertificates(dir);
  passwordFile = await makePasswordFile(dir, USER, PASSWORD);
});

/** A Mosquitto TLS listener serving `cert` (default: the localhost certificate), passwords required. */
async function tlsBroker(cert: { certFile: string; keyFile: string } = pki.server): Promise<Mosquitto> {
  const broker = await startMosquitto({ tls: { certFile: cert.certFile, keyFile: cert.keyFile, caFile: pki.ca.certFile }, passwordFile });
  if (!broker) throw new Error("mosquitto vanished");
  return broker;
}

/** The broker's URL by host name (the certificate is for DNS:localhost), as the node is told. */
const urlOf = (broker: Mosquitto) => `mqtts://localhost:${broker.port}`;

/** Runs console commands; each must end in OK. */
async function configure(t: ExecutionContext, sim: SimProcess, lines: string[]): Promise<void> {
  for (const line of lines) {
    const reply = await sim.command(line);
    t.is(reply.at(-1), "OK", `${line.replace(PASSWORD, "<password>")} → ${reply.join(" | ")}`);
  }
}

/** Starts the node trusting `trustedCa` (a PEM file, added to the host store; none: the default store only), configures it at the console, saves and reboots. */
async function configuredNode(t: ExecutionContext, broker: Mosquitto, trustedCa: string | undefined, settings: string[]): Promise<SimProcess> {
  if (trustedCa !== undefined) process.env.NODE_EXTRA_CA_CERTS = trustedCa;
  const sim = startSim(["--broker", urlOf(broker), "--id", `sec-${randomBytes(3).toString("hex")}`, "--state", mkdtempSync(join(dir, "state-"))]);
  delete process.env.NODE_EXTRA_CA_CERTS;
  t.teardown(() => { sim.child.kill("SIGKILL"); });
  await sim.waitFor(/^OK$|boot [0-9a-f]{8}/m);
  await configure(t, sim, [`set mqtt.url ${urlOf(broker)}`, `set mqtt.username ${USER}`, ...settings, "save"]);
  const from = sim.output.length;
  await configure(t, sim, ["reboot"]);
  await sim.waitFor(/boot [0-9a-f]{8} \(#2\)/, 15_000, from);
  return sim;
}

/** Stops the node and checks that the password is in none of its output. */
async function stopAndCheckSecrets(t: ExecutionContext, sim: SimProcess): Promise<void> {
  // The commands that show config must mask it too.
  for (const line of ["show mqtt", "get mqtt.password", "export"]) await sim.command(line);
  sim.child.kill("SIGINT");
  await sim.exited;
  t.false(sim.output.includes(PASSWORD), "the password is not on the simulator's stdout");
  t.false(sim.stderr.includes(PASSWORD), "the password is not on the simulator's stderr");
  t.regex(sim.output, /mqtt\.password = \(set\)/, "show marks it set");
}

brokerTest("right CA and password: the node connects over TLS and publishes telemetry; the password appears nowhere", async (t) => {
  const broker = await tlsBroker();
  const monitor = startMonitor(["--broker", urlOf(broker), "--ca", pki.ca.certFile, "--username", USER, "--json"],
    { FIELDNODE_MONITOR_PASSWORD: PASSWORD });
  let sim: SimProcess | undefined;
  try {
    await monitor.until(() => /connected to/.test(monitor.stderr), "the monitor to connect");
    sim = await configuredNode(t, broker, pki.ca.certFile, [`set mqtt.password ${PASSWORD}`, "set telemetry.batch_size 2"]);
    const node = /node (sec-[0-9a-f]+)/.exec(sim.output)![1];
    t.regex(await mqttStatus(sim, /connected/), new RegExp(`connected to mqtts://localhost:${broker.port}`));
    await monitor.until(() => monitor.lines.some((l) => l.includes('"kind":"tele"') && l.includes(`"node":"${node}"`)), "telemetry over TLS");
    await stopAndCheckSecrets(t, sim);
    await monitor.until(() => monitor.lines.some((l) => l.includes('"state":"offline"')), "offline state");
    monitor.child.kill("SIGINT");
    await monitor.exited;
    t.true(monitor.lines.length > 3);
    t.false(monitor.lines.some((l) => l.includes(PASSWORD)), "no MQTT message the monitor saw carries the password");
  } finally {
    sim?.child.kill("SIGKILL");
    monitor.child.kill("SIGKILL");
    await broker.stop();
  }
});

brokerTest("wrong password: a CONNACK failure, distinct from TLS", async (t) => {
  const broker = await tlsBroker();
  let sim: SimProcess | undefined;
  try {
    sim = await configuredNode(t, broker, pki.ca.certFile, [`set mqtt.password wrong-${PASSWORD}`]);
    const line = await mqttStatus(sim, /last failure/);
    t.regex(line, /last failure connack: broker refused the connection: (bad user name or password|not authorized) \(return code [45]\)/);
    // The monitor, given a wrong password, says so and gives up with code 1 (retrying cannot help).
    const monitor = startMonitor(["--broker", urlOf(broker), "--ca", pki.ca.certFile, "--username", USER], { FIELDNODE_MONITOR_PASSWORD: `wrong-${PASSWORD}` });
    t.is(await monitor.exited, 1);
    t.regex(monitor.stderr, /fieldnode-monitor: connack: broker refused the connection: (bad user name or password|not authorized)/);
    t.false(monitor.stderr.includes(PASSWORD) || monitor.lines.some((l) => l.includes(PASSWORD)));
    await stopAndCheckSecrets(t, sim);
    t.false(sim.output.includes(`wrong-${PASSWORD}`));
  } finally {
    sim?.child.kill("SIGKILL");
    await broker.stop();
  }
});

brokerTest("a CA the node does not trust: a TLS failure that says the certificate is not trusted", async (t) => {
  const broker = await tlsBroker();
  let sim: SimProcess | undefined;
  try {
    sim = await configuredNode(t, broker, pki.otherCa.certFile, [`set mqtt.password ${PASSWORD}`]);
    t.regex(await mqttStatus(sim, /last failure/), /last failure tls: TLS certificate not trusted \([A-Z_]+\)/);
    await stopAndCheckSecrets(t, sim);
  } finally {
    sim?.child.kill("SIGKILL");
    await broker.stop();
  }
});

brokerTest("a certificate for wrong.example: a TLS failure naming the host name", async (t) => {
  const broker = await tlsBroker(pki.wrongHost);
  let sim: SimProcess | undefined;
  try {
    sim = await configuredNode(t, broker, pki.ca.certFile, [`set mqtt.password ${PASSWORD}`]);
    t.regex(await mqttStatus(sim, /last failure/), /last failure tls: TLS host name mismatch: the certificate is not valid for localhost/);
    await stopAndCheckSecrets(t, sim);
  } finally {
    sim?.child.kill("SIGKILL");
    await broker.stop();
  }
});

brokerTest("fingerprint pin: the right one connects, a wrong one is a TLS failure", async (t) => {
  const broker = await tlsBroker();
  let sim: SimProcess | undefined;
  try {
    const right = pki.server.fingerprint256.replace(/:/g, "").toLowerCase();
    sim = await configuredNode(t, broker, pki.ca.certFile, [`set mqtt.password ${PASSWORD}`, `set mqtt.tls_fingerprint ${right}`]);
    t.regex(await mqttStatus(sim, /connected|last failure/), /connected to mqtts:/);
    const wrong = (right[0] === "0" ? "1" : "0") + right.slice(1);
    await configure(t, sim, [`set mqtt.tls_fingerprint ${wrong}`, "save"]);
    const from = sim.output.length;
    await configure(t, sim, ["reboot"]);
    await sim.waitFor(/boot [0-9a-f]{8} \(#3\)/, 15_000, from);
    t.regex(await mqttStatus(sim, /last failure/), /last failure tls: TLS certificate fingerprint mismatch for localhost/);
    await stopAndCheckSecrets(t, sim);
  } finally {
    sim?.child.kill("SIGKILL");
    await broker.stop();
  }
});

/** The CA as `mqtt.tls_ca` wants it: base64 of the DER. */
const base64Der = (pem: string) => pem.replace(/-----[^-]+-----|\s/g, "");

// No NODE_EXTRA_CA_CERTS here: only the CA typed at the console can make this connect.
brokerTest("the CA set at the console as mqtt.tls_ca is trusted", async (t) => {
  const broker = await tlsBroker();
  let sim: SimProcess | undefined;
  try {
    t.log(`test CA: ${base64Der(pki.ca.pem).length} base64 characters`);
    sim = await configuredNode(t, broker, undefined, [`set mqtt.password ${PASSWORD}`, `set mqtt.tls_ca ${base64Der(pki.ca.pem)}`]);
    t.regex(await mqttStatus(sim, /connected|last failure/), /connected to mqtts:/);
    await stopAndCheckSecrets(t, sim);
  } finally {
    sim?.child.kill("SIGKILL");
    await broker.stop();
  }
});

// No NODE_EXTRA_CA_CERTS here either: only the PEM file given with --ca can make this connect.
brokerTest("--ca FILE (PEM, as the monitor takes it): the simulator trusts that CA for this run, without saving it", async (t) => {
  const broker = await tlsBroker();
  delete process.env.NODE_EXTRA_CA_CERTS;
  const sim = startSim(["--broker", urlOf(broker), "--ca", pki.ca.certFile, "--id", `sec-${randomBytes(3).toString("hex")}`, "--state", mkdtempSync(join(dir, "state-"))]);
  try {
    await sim.waitFor(/boot [0-9a-f]{8} \(#1\)/);
    await configure(t, sim, [`set mqtt.username ${USER}`, `set mqtt.password ${PASSWORD}`, "save"]);
    const from = sim.output.length;
    await configure(t, sim, ["reboot"]);
    await sim.waitFor(/boot [0-9a-f]{8} \(#2\)/, 15_000, from);
    t.regex(await mqttStatus(sim, /connected|last failure/), /connected to mqtts:/);
    t.regex((await sim.command("show mqtt.tls_ca")).join("\n"), /\[override: MII/, "the CA is this run's override, not saved");
    await stopAndCheckSecrets(t, sim);
  } finally {
    sim.child.kill("SIGKILL");
    await broker.stop();
  }
});

test("--ca FILE problems: one line and exit 2 before anything starts", async (t) => {
  const notCert = join(dir, "not-a-cert.txt");
  writeFileSync(notCert, "hello\n");
  for (const [args, message] of [
    [["--ca", "/nonexistent/ca.pem"], /^fieldnode-sim: --ca "\/nonexistent\/ca.pem": cannot read it \(ENOENT\)\n$/],
    [["--ca", notCert], /^fieldnode-sim: --ca ".*not-a-cert.txt" is neither a PEM nor a DER certificate\n$/],
    [["--ca", notCert, "--override", "mqtt.tls_ca=AAAA"], /^fieldnode-sim: --ca and --override mqtt.tls_ca both give the CA; use one\n$/],
  ] as const) {
    const sim = startSim(["--broker", "mqtts://localhost:1", "--state", mkdtempSync(join(dir, "state-")), ...args]);
    t.is(await sim.exited, 2);
    t.regex(sim.stderr, message);
  }
});
