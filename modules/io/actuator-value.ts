/**
 * Actuator values: a relay is 0 (off) or 100 (on), a PWM output 0-100 (%).
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
  if (typeof value === "boolean") return value ? 100 : 0;
  if (config.type === "relay") {
    if (value === 0) return 0;
    if (value === 1 || value === 100) return 100;
    throw new ActuatorError("bad-value", `${config.name} is a relay: value must be on or off (true/false, 0/1), got ${String(value).slice(0, 20)}`);
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
  if (config.type === "relay") {
    if (t === "on" || t === "1" || t === "true") return 100;
    if (t === "off" || t === "0" || t === "false") return 0;
    throw new ActuatorError("bad-value", `${config.name} is a relay: value must be on or off, got ${JSON.stringify(text.slice(0, 20))}`);
  }
  const number = t.endsWith("%") ? t.slice(0, -1) : t;
  if (!isPlainDecimal(number)) throw new ActuatorError("bad-value", `${config.name} is PWM: value must be 0..100 (%), got ${JSON.stringify(text.slice(0, 20))}`);
  const value = Number(number);
  if (value > 100) throw new ActuatorError("bad-value", `${config.name} is PWM: value must be 0..100 (%), got ${value}`);
  return value;
}

/** How an output's value reads: "on"/"off" for a relay, "40%" for PWM. */
export function showActuatorValue(config: ActuatorConfig, value: number): string {
  return config.type === "relay" ? (value > 0 ? "on" : "off") : `${value}%`;
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
