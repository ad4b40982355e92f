/**
 * Mutual TLS end to end: Mosquitto with a TLS listener that requires a
 * client certificate (`require_certificate true`), the simulator given its
 * CA, client certificate and key at the console (`mqtt.tls_ca`,
 * `mqtt.tls_cert`, `mqtt.tls_key`), and what `status` and `save` say for
 * each way the client identity can be wrong.
 */
import test, { type ExecutionContext } from "ava";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeClientCertificate, makeTestCertificates, pemBody, type ClientCertificate, type TestCertificates } from "../helpers/certs.js";
import { mosquittoBinary, startMosquitto, type Mosquitto } from "../helpers/mosquitto.js";
import { mqttStatus, startSim, type SimProcess } from "../helpers/sim-process.js";

const brokerTest = mosquittoBinary === undefined
  ? (title: string, _fn: (t: ExecutionContext) => Promise<void>) => test.skip(`${title} (SKIPPED: mosquitto not installed)`, () => undefined)
  : (title: string, fn: (t: ExecutionContext) => Promise<void>) => test(title, fn);

let pki: TestCertificates;
let client: ClientCertificate, other: ClientCertificate, strangerSigned: ClientCertificate;
const dir = mkdtempSync(join(tmpdir(), "fieldnode-mtls-"));

test.before(async () => {
  if (mosquittoBinary === undefined) return;
  pki = await makeTestCertificates(dir);
  [client, other, strangerSigned] = await Promise.all([
    makeClientCertificate(dir, pki.ca, "node-a"), makeClientCertificate(dir, pki.ca, "node-b"), makeClientCertificate(dir, pki.otherCa, "node-c"),
  ]);
});

async function mtlsBroker(): Promise<Mosquitto> {
  const broker = await startMosquitto({ tls: { certFile: pki.server.certFile, keyFile: pki.server.keyFile, caFile: pki.ca.certFile }, extraConfig: "require_certificate true" });
  if (!broker) throw new Error("mosquitto vanished");
  return broker;
}

/** Starts a node, sets `settings` at its console (each must answer OK), saves and reboots. */
async function node(t: ExecutionContext, broker: Mosquitto, settings: string[]): Promise<SimProcess> {
  const url = `mqtts://localhost:${broker.port}`;
  const sim = startSim(["--broker", url, "--id", `mtls-${randomBytes(3).toString("hex")}`, "--state", mkdtempSync(join(dir, "state-"))]);
  t.teardown(() => void sim.child.kill("SIGKILL"));
  await sim.waitFor(/boot [0-9a-f]{8}/);
  for (const line of [`set mqtt.url ${url}`, `set mqtt.tls_ca ${pemBody(pki.ca.pem)}`, ...settings, "save", "reboot"]) {
    const reply = await sim.command(line);
    t.is(reply.at(-1), "OK", `${line.slice(0, 40)} → ${reply.join(" | ")}`);
  }
  await sim.waitFor(/boot [0-9a-f]{8} \(#2\)/);
  return sim;
}

brokerTest("a client certificate the broker's CA signed, with its key: the node connects; the key is never shown", async (t) => {
  const broker = await mtlsBroker();
  try {
    const sim = await node(t, broker, [`set mqtt.tls_cert ${client.certBase64}`, `set mqtt.tls_key ${client.keyBase64}`]);
    t.regex(await mqttStatus(sim, /connected|last failure/), /connected to mqtts:/);
    await sim.command("show mqtt");
    await sim.command("export");
    t.regex(sim.output, /mqtt\.tls_key = \(set\)/);
    t.false(sim.output.includes(client.keyBase64.slice(0, 40)), "no key material on the console");
    sim.child.kill("SIGINT");
    await sim.exited;
  } finally {
    await broker.stop();
  }
});

brokerTest("no client certificate: the broker refuses, status says a tls failure asking for one", async (t) => {
  const broker = await mtlsBroker();
  try {
    const sim = await node(t, broker, []);
    t.regex(await mqttStatus(sim, /last failure/), /last failure tls: the broker requires a client certificate .*mqtt\.tls_cert/);
  } finally {
    await broker.stop();
  }
});

brokerTest("a client certificate from another CA: the broker rejects it, status names mqtt.tls_cert", async (t) => {
  const broker = await mtlsBroker();
  try {
    const sim = await node(t, broker, [`set mqtt.tls_cert ${strangerSigned.certBase64}`, `set mqtt.tls_key ${strangerSigned.keyBase64}`]);
    t.regex(await mqttStatus(sim, /last failure/), /last failure tls: the broker rejected the client certificate mqtt\.tls_cert \(alert: [a-z ]+\)/);
  } finally {
    await broker.stop();
  }
});

test("save refuses a key that is not the certificate's, one without the other, and a certificate that does not parse; nothing is written", async (t) => {
  if (!client) return t.pass("mosquitto not installed: certificates not made");
  const sim = startSim(["--broker", "mqtts://localhost:8883", "--id", "mtls-save", "--state", mkdtempSync(join(dir, "state-"))]);
  t.teardown(() => void sim.child.kill("SIGKILL"));
  await sim.waitFor(/boot [0-9a-f]{8}/);
  const cases: [string[], RegExp][] = [
    [[`set mqtt.tls_cert ${client.certBase64}`, `set mqtt.tls_key ${other.keyBase64}`], /mqtt\.tls_key does not match mqtt\.tls_cert: the key's public part differs/],
    [[`set mqtt.tls_cert ${client.certBase64}`], /mqtt\.tls_key must be set with mqtt\.tls_cert/],
    [["set mqtt.tls_cert AAAAAAAA", `set mqtt.tls_key ${client.keyBase64}`], /mqtt\.tls_cert is not a DER X\.509 certificate/],
  ];
  for (const [lines, message] of cases) {
    for (const line of ["discard", "set mqtt.url mqtts://localhost:8883", ...lines]) t.is((await sim.command(line)).at(-1), "OK", line.slice(0, 30));
    const reply = await sim.command("save");
    t.regex(reply.at(-1)!, /^ERR rule /);
    t.regex(reply.join("\n"), message);
    t.false(reply.join("\n").includes(other.keyBase64.slice(0, 20)), "the key is not echoed");
  }
  await sim.command("discard");
  t.regex((await sim.command("get mqtt.tls_cert")).join("\n"), /mqtt\.tls_cert = ""/, "nothing was saved");
  sim.child.kill("SIGINT");
  await sim.exited;
});
