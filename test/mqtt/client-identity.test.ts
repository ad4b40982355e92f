import test from "ava";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkClientIdentity } from "../../modules/mqtt/client-identity.js";
import { decodeBase64 } from "../../modules/util/base64.js";
import { makeClientCertificate, makeTestCertificates, type ClientCertificate } from "../helpers/certs.js";
import { randomInt, seededRandom } from "../helpers/seeded-random.js";

let ec: ClientCertificate, ec2: ClientCertificate, rsa: ClientCertificate, rsa2: ClientCertificate;

test.before(async () => {
  const dir = mkdtempSync(join(tmpdir(), "fieldnode-identity-"));
  const pki = await makeTestCertificates(dir);
  [ec, ec2, rsa, rsa2] = await Promise.all([
    makeClientCertificate(dir, pki.ca, "ec-1"), makeClientCertificate(dir, pki.ca, "ec-2"),
    makeClientCertificate(dir, pki.ca, "rsa-1", true), makeClientCertificate(dir, pki.ca, "rsa-2", true),
  ]);
});

test("a certificate and its own key match (EC P-256 and RSA-2048)", (t) => {
  t.deepEqual(checkClientIdentity(ec.certBase64, ec.keyBase64), { ok: true, checked: true });
  t.deepEqual(checkClientIdentity(rsa.certBase64, rsa.keyBase64), { ok: true, checked: true });
});

test("another key of the same kind, or of another kind, is refused naming both keys", (t) => {
  const cases: [string, string, RegExp][] = [
    [ec.certBase64, ec2.keyBase64, /^mqtt\.tls_key does not match mqtt\.tls_cert: the key's public part differs/],
    [rsa.certBase64, rsa2.keyBase64, /^mqtt\.tls_key does not match mqtt\.tls_cert: the key's public part differs/],
    [ec.certBase64, rsa.keyBase64, /^mqtt\.tls_key does not match mqtt\.tls_cert: the key is RSA, the certificate's public key EC$/],
  ];
  for (const [cert, key, message] of cases) {
    const result = checkClientIdentity(cert, key);
    t.false(result.ok);
    if (!result.ok) t.regex(result.error, message);
  }
});

test("what does not parse is named: not base64, not a certificate, not a PKCS#8 key", (t) => {
  const cases: [string, string, RegExp][] = [
    ["@@@", ec.keyBase64, /^mqtt\.tls_cert is not base64$/],
    [ec.certBase64, "AAA*", /^mqtt\.tls_key is not base64$/],
    ["AAAA", ec.keyBase64, /^mqtt\.tls_cert is not a DER X\.509 certificate$/],
    [ec.certBase64, ec.certBase64, /^mqtt\.tls_key is not a DER PKCS#8 private key/],
    [ec.keyBase64, ec.keyBase64, /^mqtt\.tls_cert /],
  ];
  for (const [cert, key, message] of cases) {
    const result = checkClientIdentity(cert, key);
    t.false(result.ok, `${cert.slice(0, 8)} / ${key.slice(0, 8)}`);
    if (!result.ok) t.regex(result.error, message);
  }
});

test("base64 decoding agrees with Node's for the test material", (t) => {
  for (const text of [ec.certBase64, ec.keyBase64, rsa.keyBase64, "", "QQ==", "QUI=", "QUJD"])
    t.deepEqual(decodeBase64(text), new Uint8Array(Buffer.from(text, "base64")));
});

test("seeded corruption of a certificate or key (flipped bytes, truncation) never throws", (t) => {
  const random = seededRandom(11);
  const certDer = Buffer.from(ec.certBase64, "base64");
  const keyDer = Buffer.from(ec.keyBase64, "base64");
  for (let i = 0; i < 300; i++) {
    const cert = Buffer.from(certDer);
    const key = Buffer.from(keyDer);
    const target = random() < 0.5 ? cert : key;
    const at = randomInt(random, target.length);
    target[at] ^= 1 + randomInt(random, 255);
    const cut = random() < 0.2 ? randomInt(random, target.length) : target.length;
    const [c, k] = target === cert ? [cert.subarray(0, cut), key] : [cert, key.subarray(0, cut)];
    t.notThrows(() => checkClientIdentity(c.toString("base64"), k.toString("base64")));
  }
});
