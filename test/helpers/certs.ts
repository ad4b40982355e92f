import { execFile } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

/** Files and PEM text of the certificates made by `makeTestCertificates`. */
export interface TestCertificates {
  /** CA that signed `server` and `wrongHost`. */
  ca: { certFile: string; keyFile: string; pem: string };
  /** Unrelated CA: trusting it instead of `ca` must fail. */
  otherCa: { certFile: string; keyFile: string; pem: string };
  /** Server certificate for DNS:localhost and IP:127.0.0.1, signed by `ca`. */
  server: { certFile: string; keyFile: string; pem: string; fingerprint256: string };
  /** Server certificate for DNS:wrong.example only, signed by `ca`. */
  wrongHost: { certFile: string; keyFile: string; pem: string };
}

const CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = placeholder
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
`;

const run = promisify(execFile);

async function makeCa(dir: string, name: string, config: string) {
  const certFile = join(dir, `${name}.crt`), keyFile = join(dir, `${name}.key`);
  await run("openssl", ["req", "-x509", "-config", config, "-extensions", "ca", "-newkey", "ec",
    "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", keyFile, "-out", certFile,
    "-days", "2", "-subj", `/CN=fieldnode ${name}`]);
  return { certFile, keyFile, pem: await readFile(certFile, "utf8") };
}

async function makeServer(dir: string, name: string, config: string, ca: { certFile: string; keyFile: string }, san: string) {
  const certFile = join(dir, `${name}.crt`), keyFile = join(dir, `${name}.key`), csr = join(dir, `${name}.csr`);
  const ext = join(dir, `${name}.ext`);
  await writeFile(ext, `subjectAltName = ${san}\nbasicConstraints = CA:FALSE\n` +
    "keyUsage = critical, digitalSignature, keyEncipherment\nextendedKeyUsage = serverAuth\n");
  await run("openssl", ["req", "-new", "-config", config, "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
    "-nodes", "-keyout", keyFile, "-out", csr, "-subj", `/CN=${name}`]);
  await run("openssl", ["x509", "-req", "-in", csr, "-CA", ca.certFile, "-CAkey", ca.keyFile, "-set_serial",
    String(Date.now()), "-out", certFile, "-days", "2", "-extfile", ext]);
  return { certFile, keyFile, pem: await readFile(certFile, "utf8") };
}

/**
 * Creates, with the `openssl` CLI, a test PKI in `dir` (P-256 keys, valid
 * two days): a CA, a server certificate for localhost/127.0.0.1 signed by it,
 * one for "wrong.example" signed by it, and an unrelated second CA.
 * Rejects when openssl is missing or fails.
 */
export async function makeTestCertificates(dir: string): Promise<TestCertificates> {
  const config = join(dir, "openssl.cnf");
  await writeFile(config, CONFIG);
  const ca = await makeCa(dir, "ca", config);
  const otherCa = await makeCa(dir, "other-ca", config);
  const server = await makeServer(dir, "localhost", config, ca, "DNS:localhost, IP:127.0.0.1");
  const wrongHost = await makeServer(dir, "wrong.example", config, ca, "DNS:wrong.example");
  const fingerprint256 = new X509Certificate(server.pem).fingerprint256;
  return { ca, otherCa, server: { ...server, fingerprint256 }, wrongHost };
}

/** A client certificate for mutual TLS, with its key, in the forms the node's config takes. */
export interface ClientCertificate {
  certFile: string;
  keyFile: string;
  /** `mqtt.tls_cert`: base64 of the certificate's DER. */
  certBase64: string;
  /** `mqtt.tls_key`: base64 of the key's PKCS#8 DER. */
  keyBase64: string;
}

/** Base64 of the DER inside a PEM text (its first block). */
export const pemBody = (pem: string): string => pem.split("-----")[2].replace(/\s/g, "");

/**
 * Creates with openssl a client certificate (extendedKeyUsage clientAuth,
 * subject CN=`name`) signed by `ca`, its key an EC P-256 key or, with
 * `rsa`, an RSA-2048 key (what the Moddable SDK's TLS can sign with).
 */
export async function makeClientCertificate(dir: string, ca: { certFile: string; keyFile: string }, name: string, rsa = false): Promise<ClientCertificate> {
  const config = join(dir, "openssl.cnf");
  await writeFile(config, CONFIG);
  const certFile = join(dir, `${name}.crt`), keyFile = join(dir, `${name}.key`), csr = join(dir, `${name}.csr`), ext = join(dir, `${name}.ext`);
  await writeFile(ext, "basicConstraints = CA:FALSE\nkeyUsage = critical, digitalSignature\nextendedKeyUsage = clientAuth\n");
  const keyArgs = rsa ? ["-newkey", "rsa:2048"] : ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"];
  await run("openssl", ["req", "-new", "-config", config, ...keyArgs, "-nodes", "-keyout", keyFile, "-out", csr, "-subj", `/CN=${name}`]);
  await run("openssl", ["x509", "-req", "-in", csr, "-CA", ca.certFile, "-CAkey", ca.keyFile, "-set_serial", String(Date.now()), "-out", certFile, "-days", "2", "-extfile", ext]);
  const { stdout: pkcs8 } = await run("openssl", ["pkcs8", "-topk8", "-nocrypt", "-in", keyFile]);
  return { certFile, keyFile, certBase64: pemBody(await readFile(certFile, "utf8")), keyBase64: pemBody(pkcs8) };
}
