/**
 * Actuator values: a relay or a Modbus coil is 0 (off) or 100 (on), a PWM
 * output 0-100 (%), a Modbus register any number within its min..max.
 * One place checks what the console types and what a command carries.
 */
import type { ActuatorConfig } from "../config/node-config.js";
import { ActuatorError } from "./actuator-source.js";

/**
 * The value of a typed command: relays take true/false or 0, 1, 100; PWM
 * takes 0..100 (at most 2 decimals) or true/false (100/0). Throws
 * ActuatorError `bad-value` naming the actuator and the value.
 */
export function actuatorValue(config: ActuatorConfig, value: number | boolean): number {
  if (config.type === "modbus_register") return registerValue(config, value);
  if (typeof value === "boolean") return value ? 100 : 0;
  if (config.type === "relay" || config.type === "modbus_coil") {
    if (value === 0) return 0;
    if (value === 1 || value === 100) return 100;
    throw new ActuatorError("bad-value", `${config.name} is ${onOffKind(config)}: value must be on or off (true/false, 0/1), got ${String(value).slice(0, 20)}`);
  }
  if (!Number.isFinite(value) || value < 0 || value > 100 || Math.round(value * 100) !== value * 100)
    throw new ActuatorError("bad-value", `${config.name} is PWM: value must be 0..100 (%), got ${String(value).slice(0, 20)}`);
  return value;
}

/**
 * The value a technician typed: relays on/off/1/0/true/false, PWM 0..100 with
 * an optional `%`. Throws ActuatorError `bad-value` quoting the text.
 */
export function parseActuatorText(config: ActuatorConfig, text: string): number {
  const t = text.trim().toLowerCase();
  if (config.type === "relay" || config.type === "modbus_coil") {
    if (t === "on" || t === "1" || t === "true") return 100;
    if (t === "off" || t === "0" || t === "false") return 0;
    throw new ActuatorError("bad-value", `${config.name} is ${onOffKind(config)}: value must be on or off, got ${JSON.stringify(text.slice(0, 20))}`);
  }
  if (config.type === "modbus_register") {
    const number = t.length > 0 && t.length <= 24 && /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)(e[+-]?[0-9]+)?$/.test(t) ? Number(t) : NaN;
    if (!Number.isFinite(number)) throw new ActuatorError("bad-value", `${config.name} is a Modbus register: value must be a number, got ${JSON.stringify(text.slice(0, 20))}`);
    return registerValue(config, number);
  }
  const number = t.endsWith("%") ? t.slice(0, -1) : t;
  if (!isPlainDecimal(number)) throw new ActuatorError("bad-value", `${config.name} is PWM: value must be 0..100 (%), got ${JSON.stringify(text.slice(0, 20))}`);
  const value = Number(number);
  if (value > 100) throw new ActuatorError("bad-value", `${config.name} is PWM: value must be 0..100 (%), got ${value}`);
  return value;
}

/** How an output's value reads: "on"/"off" for a relay, "40%" for PWM. */
export function showActuatorValue(config: ActuatorConfig, value: number): string {
  if (config.type === "relay" || config.type === "modbus_coil") return value > 0 ? "on" : "off";
  return config.type === "modbus_register" ? String(value) : `${value}%`;
}

/** "a relay" or "a Modbus coil", for messages. */
function onOffKind(config: ActuatorConfig): string {
  return config.type === "modbus_coil" ? "a Modbus coil" : "a relay";
}

/** A Modbus register's value: a finite number within act.<name>.min..max (true/false: not a register value). */
function registerValue(config: ActuatorConfig, value: number | boolean): number {
  const min = config.modbus?.min ?? -Infinity;
  const max = config.modbus?.max ?? Infinity;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max)
    throw new ActuatorError("bad-value", `${config.name} is a Modbus register: value must be a number ${min}..${max}, got ${String(value).slice(0, 20)}`);
  return value;
}

/** 1-3 digits with up to 2 decimals, nothing else. */
function isPlainDecimal(text: string): boolean {
  const dot = text.indexOf(".");
  const whole = dot < 0 ? text : text.slice(0, dot);
  const fraction = dot < 0 ? "" : text.slice(dot + 1);
  if (whole.length < 1 || whole.length > 3 || (dot >= 0 && (fraction.length < 1 || fraction.length > 2))) return false;
  for (const c of whole + fraction) if (c < "0" || c > "9") return false;
  return true;
}
