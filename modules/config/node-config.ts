/**
 * The resolved configuration the running firmware works from. The console's
 * config schema (modules/config) validates raw values and produces this view;
 * code after that trusts it.
 */
import type { ModbusDeviceConfig } from "../io/modbus/modbus-bus.js";
import type { RegisterFormat } from "../io/modbus/register-format.js";
import { resolveConfig } from "./resolve.js";
import type { RuleConfig } from "../edge/rule-config.js";
import { factoryDefaults } from "./schema.js";

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
  /** value × scale + offset before it is reported; absent: 1 and 0. */
  scale?: number;
  offset?: number;
  /** Edge filter chain text (modules/edge, docs/edge.md); absent: every reading is sent. */
  filter?: string;
  /** Alarm text (ch.<name>.alarm, modules/edge/alarm-spec.ts); absent: no alarms. */
  alarm?: string;
  /** The type's own fields (`ch.<name>.<field>` beyond the common ones) as set, e.g. { address: 0x44 } or { expr: "v * i" }. */
  fields?: Readonly<Record<string, string | number | boolean>>;
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
  /** TLS for mqtts://: CA (base64 DER) and SHA-256 fingerprint pin; absent when not set. */
  tls?: { ca?: string; fingerprint?: string; cert?: string; key?: string };
}

export interface TelemetryConfig {
  /** A pack is sent when it holds this many readings... */
  batchSize: number;
  /** ...or when its oldest reading is this old. */
  maxAgeMs: number;
}

/**
 * Where a Modbus actuator writes (`act.<name>.device`, `.register`,
 * `.format`, `.scale`, `.offset`, `.min`, `.max`): a coil (on/off), or a
 * holding register that holds (value − offset) / scale in `format`, the
 * same scale and offset a `modbus` channel reading that register back uses.
 */
export interface ModbusTarget {
  device: string;
  register: number;
  /** Registers only; a coil is a bit. */
  format: RegisterFormat;
  scale: number;
  offset: number;
  /** The values a command may set (registers; default: what the format holds). */
  min: number;
  max: number;
  /** Write the value again this often, seconds (0: only on a change and after a failure). */
  rewriteS: number;
}

/** One output: a relay (on/off), a PWM output (0-100 %), or a coil or holding register of a Modbus device. */
export interface ActuatorConfig {
  /** [a-z][a-z0-9_]{0,15} */
  name: string;
  type: "relay" | "pwm" | "modbus_coil" | "modbus_register";
  /** GPIO of a relay or PWM output; a Modbus one has none. */
  pin?: number;
  /** A Modbus actuator's device and register. */
  modbus?: ModbusTarget;
  /** State at boot and on stop: relay and coil 0 (off) or 100 (on); PWM duty 0-100 %; a register, its value. */
  safeState: number;
  /** Shortest on and off times before the next switch, seconds. */
  minOnS: number;
  minOffS: number;
  /** Drive the pin low for "on". */
  invert: boolean;
  /** Link-loss failsafe: no broker and no command for this long, seconds: safe state (0 or absent: off). */
  failsafeS?: number;
  /** How long a console `act` test holds the output without `for <s>`, seconds (default 600). */
  testS?: number;
  /** Digital input that must follow the output (run feedback), and how soon, seconds (default 5). */
  feedbackPin?: number;
  feedbackS?: number;
}

export interface NodeConfig {
  nodeId: string;
  site: string;
  mqtt: MqttConfig;
  telemetry: TelemetryConfig;
  channels: ChannelConfig[];
  /** Outputs; absent means none. */
  actuators?: ActuatorConfig[];
  /** Local rules (`rule.<name>.*`, modules/edge/rules.ts); absent: none. */
  rules?: RuleConfig[];
  /** WiFi credentials for the board host; absent or empty means not configured. */
  wifi?: { ssid: string; password: string };
  /** Modbus RTU devices on the RS-485 port (`mb.<dev>`); absent means none. */
  modbus?: ModbusDeviceConfig[];
  /** Initial log level. */
  logLevel?: "error" | "warn" | "info" | "debug";
}

/** The configuration a new board boots with: the schema's factory defaults, resolved. */
export function defaultConfig(hardwareId: string): NodeConfig {
  return resolveConfig(factoryDefaults(), hardwareId);
}
