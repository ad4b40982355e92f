import config from "mc/config";

/** The host's settings, from the manifest `config` section or `mcconfig key=value`. */
export interface BoardConfig {
  /** Platform name in status and birth: "esp32" or "mcsim". */
  host: string;
  /** "wifi": join `wifiSsid`; "host": the desktop's network (mcsim). */
  network: "wifi" | "host";
  /** "uart0": the console owns UART0 (release builds); "trace": output to xsbug/stdout, no input. */
  console: "uart0" | "trace";
  wifiSsid: string;
  wifiPassword: string;
  /** Broker URL overriding the firmware default; empty keeps the default. */
  mqttUrl: string;
  /** CA for mqtts:// as base64 DER (config `mqtt.tls_ca`); empty: none. */
  mqttTlsCa: string;
  /** SHA-256 pin for mqtts:// (config `mqtt.tls_fingerprint`; this host refuses to connect with one). */
  mqttTlsFingerprint: string;
  /** SNTP server ("pool.ntp.org" from the SDK's manifest_net.json). */
  sntpHost: string | undefined;
  /** The board's pin map by name (config `fieldnode.board`, set per subplatform): "esp32-devkitc", "esp32s3-devkitc". */
  boardName: string;
  /** Size of the NVS partition in bytes (config `fieldnode.nvs_bytes`, matching partitions.csv); undefined: unknown. */
  nvsBytes: number | undefined;
  /** The RS-485 (Modbus) UART: `fieldnode.rs485_port`, `_rx`, `_tx`, and the DE/RE GPIO `_de`; absent ones: the SDK's serial defaults, no DE pin. */
  rs485: { port?: number; receive?: number; transmit?: number; direction?: number };
}

/**
 * Reads the board settings from `mc/config`. Keys (flat, dotted, so that
 * `mcconfig ... wifi.ssid=MyNet` sets them): "fieldnode.host",
 * "fieldnode.network", "fieldnode.console", "wifi.ssid", "wifi.password",
 * "mqtt.url", "mqtt.tls_ca", "mqtt.tls_fingerprint", "sntp", "fieldnode.nvs_bytes". Unknown or mistyped values fall back to the defaults:
 * esp32, wifi, uart0, no credentials, no broker override. The SDK's own
 * `ssid`/`password` keys are deliberately not used: they make the SDK's
 * `setup/network` hold back `main` until Wi-Fi is up, and a field node must
 * boot its console without a network.
 */
export function readBoardConfig(): BoardConfig {
  const values = config as Record<string, unknown>;
  const text = (key: string): string => (typeof values[key] === "string" ? (values[key] as string) : "");
  return {
    host: text("fieldnode.host") || "esp32",
    network: text("fieldnode.network") === "host" ? "host" : "wifi",
    console: text("fieldnode.console") === "trace" ? "trace" : "uart0",
    wifiSsid: text("wifi.ssid"),
    wifiPassword: text("wifi.password"),
    mqttUrl: text("mqtt.url"),
    mqttTlsCa: text("mqtt.tls_ca"),
    mqttTlsFingerprint: text("mqtt.tls_fingerprint"),
    sntpHost: text("sntp") || undefined,
    nvsBytes: positive(values["fieldnode.nvs_bytes"]),
    rs485: {
      port: whole(values["fieldnode.rs485_port"]),
      receive: whole(values["fieldnode.rs485_rx"]),
      transmit: whole(values["fieldnode.rs485_tx"]),
      direction: whole(values["fieldnode.rs485_de"]),
    },
    boardName: text("fieldnode.board") || "esp32-devkitc",
  };
}

/** A whole number >= 0 from a config value (a GPIO or UART number); else undefined. */
function whole(value: unknown): number | undefined {
  const n = typeof value === "number" ? value : typeof value === "string" && value !== "" ? Number(value) : NaN;
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** A positive integer from a config value (a number in the manifest, text from `mcconfig key=value`); else undefined. */
function positive(value: unknown): number | undefined {
  const n = typeof value === "number" ? value : typeof value === "string" && value !== "" ? Number(value) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}
