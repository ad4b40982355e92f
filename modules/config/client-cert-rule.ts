import { checkClientIdentity } from "../mqtt/client-identity.js";
import type { RawConfig } from "./schema.js";

/**
 * The `save` rule of the client certificate (mutual TLS): `mqtt.tls_cert`
 * and `mqtt.tls_key` are set together, only with an mqtts:// broker, and
 * the key must belong to the certificate (`checkClientIdentity`). Pushes a
 * message naming the key for each broken rule; never shows key material.
 */
export function checkClientCertificate(raw: RawConfig, url: string, problems: string[]): void {
  const cert = String(raw.get("mqtt.tls_cert") ?? "");
  const key = String(raw.get("mqtt.tls_key") ?? "");
  if (!cert && !key) return;
  if (!cert || !key) {
    problems.push(cert ? "mqtt.tls_key must be set with mqtt.tls_cert (the client certificate needs its private key)" : "mqtt.tls_cert must be set with mqtt.tls_key (the private key needs its client certificate)");
    return;
  }
  if (!url.startsWith("mqtts://")) problems.push("mqtt.tls_cert / mqtt.tls_key need an mqtts:// mqtt.url");
  const check = checkClientIdentity(cert, key);
  if (!check.ok) problems.push(check.error);
}
