import type { MqttFailure } from "../../modules/platform.js";

/**
 * A TLS alert from the broker (OpenSSL's `ERR_SSL_…_ALERT_…` codes, RFC 8446
 * section 6.2), told as what it means for the client certificate: under TLS
 * 1.3 the broker judges the client certificate after the client's side of
 * the handshake is done, so the alert can arrive in any phase before
 * CONNACK. `hasCert`: whether mqtt.tls_cert was sent. Undefined when the
 * error is not such an alert.
 */
export function clientCertFailure(error: NodeJS.ErrnoException, hasCert: boolean): MqttFailure | undefined {
  const code = error.code ?? "";
  if (!code.startsWith("ERR_SSL_") || !code.includes("_ALERT_")) return undefined;
  const alert = code.slice(code.indexOf("_ALERT_") + 7).toLowerCase().split("_").join(" ");
  if (alert === "certificate required" || (!hasCert && alert === "handshake failure"))
    return { stage: "tls", message: `the broker requires a client certificate (alert: ${alert}): set mqtt.tls_cert and mqtt.tls_key` };
  if (hasCert && ["unknown ca", "bad certificate", "certificate unknown", "certificate expired", "certificate revoked", "unsupported certificate", "decrypt error", "access denied", "handshake failure"].includes(alert))
    return { stage: "tls", message: `the broker rejected the client certificate mqtt.tls_cert (alert: ${alert})` };
  return { stage: "tls", message: `the broker ended the TLS session (alert: ${alert})` };
}
