/**
 * The resolved configuration the running firmware works from. The console's
 * config schema (modules/config) validates raw values and produces this view;
 * code after that trusts it.
 */

/** One sensor channel: a measured quantity from one chip or input. */
export interface ChannelConfig {
  /** SenML record name: [a-z][a-z0-9_]* (a leading "_" is reserved for metadata). */
  name: string;
  /** Sensor type from the sensor registry, e.g. "sht3x". */
  type: string;
  /** Which of the sensor's quantities this channel reports, e.g. "temperature". */
  measure: string;
  /** I2C address for I2C sensors. */
  address?: number;
  /** GPIO / ADC pin for pin-based sensors. */
  pin?: number;
  intervalMs: number;
  /** SenML unit (RFC 8428 section 12.1), e.g. "Cel", "%RH". */
  unit: string;
}

export interface MqttConfig {
  url: string;
  username?: string;
  password?: string;
  /** Defaults to the node id when empty. */
  clientId?: string;
  prefix: string;
  /** Seconds. */
  keepalive: number;
}

export interface TelemetryConfig {
  /** A pack is sent when it holds this many readings... */
  batchSize: number;
  /** ...or when its oldest reading is this old. */
  maxAgeMs: number;
}

export interface NodeConfig {
  nodeId: string;
  site: string;
  mqtt: MqttConfig;
  telemetry: TelemetryConfig;
  channels: ChannelConfig[];
}

/** The configuration a new board boots with. */
export function defaultConfig(hardwareId: string): NodeConfig {
  return {
    nodeId: hardwareId,
    site: "",
    mqtt: { url: "mqtt://127.0.0.1:1883", prefix: "fieldnode", keepalive: 30 },
    telemetry: { batchSize: 10, maxAgeMs: 10_000 },
    channels: [
      { name: "temp", type: "sht3x", measure: "temperature", address: 0x44, intervalMs: 1000, unit: "Cel" },
      { name: "rh", type: "sht3x", measure: "humidity", address: 0x44, intervalMs: 1000, unit: "%RH" },
    ],
  };
}
