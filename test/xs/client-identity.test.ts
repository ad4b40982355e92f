import test from "ava";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeClientCertificate, makeTestCertificates } from "../helpers/certs.js";
import { runOnXS } from "../helpers/xs.js";

test("the mutual-TLS key check runs on XS: a matching pair passes, another key and a broken certificate are named", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "fieldnode-xs-identity-"));
  const pki = await makeTestCertificates(dir);
  const [a, b, rsa] = await Promise.all([makeClientCertificate(dir, pki.ca, "a"), makeClientCertificate(dir, pki.ca, "b"), makeClientCertificate(dir, pki.ca, "r", true)]);
  const run = await runOnXS("test/xs/entries/client-identity.ts");
  t.teardown(() => run.close());
  t.deepEqual(await run.command("check", [a.certBase64, a.keyBase64]), { ok: true, checked: true });
  t.deepEqual(await run.command("check", [rsa.certBase64, rsa.keyBase64]), { ok: true, checked: true });
  t.like(await run.command("check", [a.certBase64, b.keyBase64]), { ok: false, error: "mqtt.tls_key does not match mqtt.tls_cert: the key's public part differs from the certificate's public key" });
  t.like(await run.command("check", ["AAAA", a.keyBase64]), { ok: false, error: "mqtt.tls_cert is not a DER X.509 certificate" });
});
