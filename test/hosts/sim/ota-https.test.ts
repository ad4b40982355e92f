/**
 * OTA over https in the simulator: the image server has a certificate from
 * the test's own CA (test/helpers/certs.ts); the simulator trusts that CA
 * through NODE_EXTRA_CA_CERTS (its HTTP client uses Node's store). Without
 * the CA the download is refused and 0.1.0 stays.
 */
import { Decoder, encode } from "cbor-x";
import { mkdtemp } from "node:fs/promises";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeTestCertificates } from "../../helpers/certs.js";
import { persistentMosquitto, serialBrokerTest, stateDir } from "../../helpers/fast-node.js";
import { startSubscriber } from "../../helpers/mqtt-subscriber.js";
import { signedImage, updateKey } from "../../helpers/ota-image.js";
import { startSim } from "../../helpers/sim-process.js";

const decoder = new Decoder({ mapsAsObjects: true, useRecords: false } as ConstructorParameters<typeof Decoder>[0]);
type Resp = { id: string; ok: boolean; code?: string; error?: string; result?: Record<string, unknown> };

serialBrokerTest("OTA over https: a server the node does not trust is refused; with the CA trusted, 0.2.0 installs and confirms", async (t) => {
  const certs = await makeTestCertificates(await mkdtemp(join(tmpdir(), "fieldnode-ota-tls-")));
  const key = updateKey();
  const image = signedImage(key.privateKey, "0.2.0", 30_000, 12);
  const { readFile } = await import("node:fs/promises");
  const server = createServer({ cert: await readFile(certs.server.certFile), key: await readFile(certs.server.keyFile) }, (_req, res) => {
    res.writeHead(200, { "content-length": String(image.image.byteLength) });
    res.end(image.image);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `https://localhost:${(server.address() as AddressInfo).port}/fw.bin`;
  const broker = (await persistentMosquitto())!;
  const dir = await stateDir();
  const sub = startSubscriber(broker.port, ["fieldnode/otas/#"], "otas-test");
  const args = ["--broker", broker.url, "--id", "otas", "--state", dir, "--override", `ota.key=${key.publicHex}`];
  let sim = startSim(args);
  t.teardown(async () => { sim.child.kill("SIGKILL"); sub.close(); server.closeAllConnections(); server.close(); await broker.stop(); });
  const responses = () => sub.messages.filter((m) => m.topic.endsWith("/resp")).map((m) => decoder.decode(m.payload) as Resp);
  const births = () => sub.messages.filter((m) => m.topic.endsWith("/birth")).map((m) => decoder.decode(m.payload) as { fw: string });
  const send = (id: string) => sub.publish("fieldnode/otas/cmd/ota", new Uint8Array(encode(new Map<string, unknown>([["id", id], ["url", url], ["size", image.image.byteLength], ["sha256", image.sha256], ["sig", image.sig]]))));
  const final = async (id: string, match: (r: Resp) => boolean) => {
    await sub.waitFor(() => responses().some((r) => r.id === id && match(r)), 20_000, `a response to ${id}`);
    return responses().find((r) => r.id === id && match(r))!;
  };

  await sub.waitFor(() => births().length > 0, 20_000, "birth");
  send("untrusted");
  t.regex((await final("untrusted", (r) => !r.ok)).error ?? "", /download failed: .*(certificate|self.signed|issuer)/i);

  sim.child.kill("SIGKILL");
  await sim.exited;
  sim = startSim(args, { env: { NODE_EXTRA_CA_CERTS: certs.ca.certFile } });
  await sub.waitFor(() => births().length > 1, 20_000, "birth after the restart");
  send("trusted");
  await final("trusted", (r) => r.result?.state === "confirmed");
  await sub.waitFor(() => births().at(-1)?.fw === "0.2.0", 20_000, "birth of 0.2.0");
  t.pass();
});
