import type { MqttConfig } from "../config/node-config.js";
import type { MqttConnectOptions } from "../platform.js";

/**
 * The port's TLS options from the config: the CA is stored as base64 DER
 * (`mqtt.tls_ca`, compact for flash) and handed to the transport as PEM,
 * which both Node's `tls` and Moddable's SecureSocket accept; the
 * fingerprint pin (`mqtt.tls_fingerprint`) passes as is; the client
 * certificate and key (`mqtt.tls_cert`, `mqtt.tls_key`, mutual TLS) go as
 * PEM "CERTIFICATE" and "PRIVATE KEY" (PKCS#8). Returns undefined
 * when none is set (the host's trust store alone applies). Pure string
 * work, no host APIs: runs on XS.
 */
export function tlsConnectOptions(config: MqttConfig): MqttConnectOptions["tls"] {
  const tls = config.tls;
  if (!tls || (!tls.ca && !tls.fingerprint && !tls.cert)) return undefined;
  const out: NonNullable<MqttConnectOptions["tls"]> = {};
  if (tls.ca) out.ca = pemFromDerBase64(tls.ca);
  if (tls.fingerprint) out.fingerprint = tls.fingerprint;
  if (tls.cert && tls.key) {
    out.cert = pemFromDerBase64(tls.cert);
    out.key = pemFromDerBase64(tls.key, "PRIVATE KEY");
  }
  return out;
}

/** Wraps base64 DER as one PEM block, a certificate unless `label` says otherwise (RFC 7468 section 2: 64-character lines). */
export function pemFromDerBase64(base64: string, label = "CERTIFICATE"): string {
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += 64) lines.push(base64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}
