/**
 * Turns validated raw config values into the NodeConfig view the running
 * firmware uses (modules/config/node-config.ts). Runs after validation, so it
 * trusts the values; keys absent from `raw` take their schema defaults.
 */
import type { ActuatorConfig, ChannelConfig, NodeConfig } from "./node-config.js";
import { resolveRules } from "../edge/rule-config.js";
import { groupNames, KEYS, type RawConfig, type Value } from "./schema.js";
import { sensorType } from "../io/sensor-registry.js";
import { resolveModbusDevices, resolveModbusTarget } from "./resolve-modbus.js";

const ACTUATOR_TYPES: readonly ActuatorConfig["type"][] = ["relay", "pwm", "modbus_coil", "modbus_register"];

/** The actuator type of a validated `act.<name>.type` (relay when unknown). */
function actuatorType(value: Value | undefined): ActuatorConfig["type"] {
  return ACTUATOR_TYPES.find((t) => t === value) ?? "relay";
}

/** The NodeConfig for `raw`; `hardwareId` stands in for an empty node.id. */
export function resolveConfig(raw: RawConfig, hardwareId: string): NodeConfig {
  const get = (key: string): Value | undefined => (raw.has(key) ? raw.get(key) : KEYS[key]?.default);
  const str = (key: string) => String(get(key) ?? "");
  const num = (key: string) => Number(get(key));
  const channels: ChannelConfig[] = groupNames(raw, "ch").map((name) => {
    const channel: ChannelConfig = {
      name,
      type: String(raw.get(`ch.${name}.type`)),
      measure: String(raw.get(`ch.${name}.measure`)),
      intervalMs: Number(raw.get(`ch.${name}.interval`) ?? 1000),
      unit: String(raw.get(`ch.${name}.unit`) ?? ""),
    };
    const address = raw.get(`ch.${name}.address`);
    const pin = raw.get(`ch.${name}.pin`);
    if (typeof address === "number") channel.address = address;
    if (typeof pin === "number") channel.pin = pin;
    const scale = raw.get(`ch.${name}.scale`);
    const offset = raw.get(`ch.${name}.offset`);
    if (typeof scale === "number") channel.scale = scale;
    if (typeof offset === "number") channel.offset = offset;
    const filter = raw.get(`ch.${name}.filter`);
    if (typeof filter === "string" && filter.trim() !== "") channel.filter = filter;
    const alarm = raw.get(`ch.${name}.alarm`);
    if (typeof alarm === "string" && alarm.trim() !== "") channel.alarm = alarm;
    const fields: Record<string, Value> = {};
    for (const field of Object.keys(sensorType(channel.type)?.fields ?? {})) {
      const value = raw.get(`ch.${name}.${field}`);
      if (value !== undefined) fields[field] = value;
    }
    channel.fields = fields;
    return channel;
  });
  const actuators: ActuatorConfig[] = groupNames(raw, "act").map((name) => {
    const actuator: ActuatorConfig = {
      name,
      type: actuatorType(raw.get(`act.${name}.type`)),
      safeState: Number(raw.get(`act.${name}.safe_state`) ?? 0),
      minOnS: Number(raw.get(`act.${name}.min_on_s`) ?? 0),
      minOffS: Number(raw.get(`act.${name}.min_off_s`) ?? 0),
      invert: raw.get(`act.${name}.invert`) === true,
      failsafeS: Number(raw.get(`act.${name}.failsafe_s`) ?? 0),
      testS: Number(raw.get(`act.${name}.test_s`) ?? 600),
      feedbackS: Number(raw.get(`act.${name}.feedback_s`) ?? 5),
    };
    const pin = raw.get(`act.${name}.pin`);
    if (typeof pin === "number") actuator.pin = pin;
    const modbus = resolveModbusTarget(raw, name);
    if (modbus) actuator.modbus = modbus;
    const feedbackPin = raw.get(`act.${name}.feedback_pin`);
    if (typeof feedbackPin === "number") actuator.feedbackPin = feedbackPin;
    return actuator;
  });
  const config: NodeConfig = {
    nodeId: str("node.id") || hardwareId,
    site: str("node.site"),
    mqtt: {
      url: str("mqtt.url"),
      prefix: str("mqtt.prefix"),
      keepalive: num("mqtt.keepalive"),
    },
    telemetry: { batchSize: num("telemetry.batch_size"), maxAgeMs: num("telemetry.max_interval") * 1000 },
    channels,
    actuators,
    rules: resolveRules(raw, groupNames(raw, "rule")),
    wifi: { ssid: str("wifi.ssid"), password: str("wifi.password") },
    logLevel: str("log.level") as NodeConfig["logLevel"],
  };
  const modbus = resolveModbusDevices(raw);
  if (modbus.length > 0) config.modbus = modbus;
  if (str("mqtt.username")) config.mqtt.username = str("mqtt.username");
  if (str("mqtt.password")) config.mqtt.password = str("mqtt.password");
  if (str("mqtt.client_id")) config.mqtt.clientId = str("mqtt.client_id");
  if (str("mqtt.tls_ca") || str("mqtt.tls_fingerprint") || str("mqtt.tls_cert")) {
    config.mqtt.tls = {};
    if (str("mqtt.tls_cert") && str("mqtt.tls_key")) Object.assign(config.mqtt.tls, { cert: str("mqtt.tls_cert"), key: str("mqtt.tls_key") });
    if (str("mqtt.tls_ca")) config.mqtt.tls.ca = str("mqtt.tls_ca");
    if (str("mqtt.tls_fingerprint")) config.mqtt.tls.fingerprint = str("mqtt.tls_fingerprint");
  }
  return config;
}
