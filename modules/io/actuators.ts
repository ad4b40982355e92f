/**
 * The node's outputs: relays (on/off) and PWM outputs (0-100 %), opened from
 * the config. Each has a safe state, applied when they open at boot and when
 * they stop; `set` enforces the minimum on and off times (a compressor must
 * not short-cycle) and validates the value. The console's `act` and remote
 * commands both call `set`.
 */
import type { ActuatorConfig } from "../config/node-config.js";
import type { Logger } from "../log.js";
import type { DigitalIO, Platform, PWMIO } from "../platform.js";

/** A refused actuator command; `code` is the console's ERR code. */
export class ActuatorError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

interface Output {
  config: ActuatorConfig;
  digital?: DigitalIO;
  pwm?: PWMIO;
  /** Current value, 0-100 (relays: 0 or 100). */
  value: number;
  /** Monotonic ms of the last on/off change (boot counts as one). */
  changedAt: number;
  fault?: string;
}

export class Actuators {
  #platform: Platform;
  #log: Logger;
  #outputs = new Map<string, Output>();

  constructor(platform: Platform, log: Logger, configs: ActuatorConfig[]) {
    this.#platform = platform;
    this.#log = log;
    for (const config of configs) this.#outputs.set(config.name, { config, value: config.safeState, changedAt: 0 });
  }

  /** Opens every output and drives it to its safe state. A failing one is reported; the others go on. */
  start(): void {
    const now = this.#platform.clock.monotonic();
    for (const out of this.#outputs.values()) {
      try {
        if (out.config.type === "pwm") out.pwm = new this.#platform.io.PWM({ pin: out.config.pin });
        else out.digital = new this.#platform.io.Digital({ pin: out.config.pin, mode: "output" });
        this.#drive(out, out.config.safeState);
        out.changedAt = now;
      } catch (error) {
        out.fault = `open failed: ${(error as Error).message}`;
        this.#log.error("act", `${out.config.name}: ${out.fault}`);
      }
    }
  }

  /** Names, for `act` errors and status. */
  names(): string[] {
    return [...this.#outputs.keys()].sort();
  }

  /** Current state of each output, e.g. "pump=on", "fan=40%". */
  describe(): string[] {
    return [...this.#outputs.values()].map((o) => `${o.config.name}=${o.fault ? "fault" : o.config.type === "relay" ? (o.value ? "on" : "off") : `${o.value}%`}`);
  }

  /**
   * Sets an output: relays take on/off/1/0/true/false, PWM 0-100 (%).
   * Throws ActuatorError: "unknown-actuator", "bad-value", "min-on"/"min-off"
   * (with the remaining seconds), "fault". Returns the applied value.
   */
  set(name: string, text: string): number {
    const out = this.#outputs.get(name);
    if (!out) throw new ActuatorError("unknown-actuator", `no actuator "${name.slice(0, 20)}"; actuators: ${this.names().join(", ") || "none configured"}`);
    const value = parseValue(out.config, text);
    if (out.fault || (!out.digital && !out.pwm)) throw new ActuatorError("fault", `${name}: ${out.fault ?? "not open"}`);
    const wasOn = out.value > 0;
    const willBeOn = value > 0;
    if (wasOn !== willBeOn) {
      const elapsed = (this.#platform.clock.monotonic() - out.changedAt) / 1000;
      const min = wasOn ? out.config.minOnS : out.config.minOffS;
      if (elapsed < min) {
        const remaining = Math.ceil(min - elapsed);
        throw new ActuatorError(wasOn ? "min-on" : "min-off", `${name} has been ${wasOn ? "on" : "off"} for ${Math.floor(elapsed)} s; min_${wasOn ? "on" : "off"}_s is ${min}: wait ${remaining} s`);
      }
      out.changedAt = this.#platform.clock.monotonic();
    }
    this.#drive(out, value);
    this.#log.info("act", `${name} set to ${out.config.type === "relay" ? (value ? "on" : "off") : `${value}%`}`);
    return value;
  }

  /**
   * Changes an output's minimum on/off times live (config keys
   * act.<name>.min_on_s and min_off_s), seconds; counted from its last
   * switch as before. Throws ActuatorError "unknown-actuator", RangeError
   * for a negative or non-integer time.
   */
  retime(name: string, times: Partial<{ minOnS: number; minOffS: number }>): void {
    const out = this.#outputs.get(name);
    if (!out) throw new ActuatorError("unknown-actuator", `no actuator "${name.slice(0, 20)}"`);
    for (const [field, value] of Object.entries(times)) if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name}: ${field} must be a whole number of seconds >= 0, got ${value}`);
    out.config = { ...out.config, ...times };
  }

  /** Drives every output to its safe state and closes it. */
  stop(): void {
    for (const out of this.#outputs.values()) {
      try {
        if (out.digital || out.pwm) this.#drive(out, out.config.safeState);
      } catch (error) {
        this.#log.error("act", `${out.config.name}: safe state failed: ${(error as Error).message}`);
      }
      out.digital?.close();
      out.pwm?.close();
      out.digital = undefined;
      out.pwm = undefined;
    }
  }

  #drive(out: Output, value: number): void {
    if (out.pwm) {
      const max = 2 ** out.pwm.resolution - 1;
      const duty = Math.round(((out.config.invert ? 100 - value : value) / 100) * max);
      out.pwm.write(duty);
    } else out.digital?.write((value > 0) !== out.config.invert ? 1 : 0);
    out.value = value;
  }
}

function parseValue(config: ActuatorConfig, text: string): number {
  const t = text.trim().toLowerCase();
  if (config.type === "relay") {
    if (["on", "1", "true"].includes(t)) return 100;
    if (["off", "0", "false"].includes(t)) return 0;
    throw new ActuatorError("bad-value", `${config.name} is a relay: value must be on or off, got ${JSON.stringify(text.slice(0, 20))}`);
  }
  if (!/^[0-9]{1,3}(\.[0-9]{1,2})?%?$/.test(t)) throw new ActuatorError("bad-value", `${config.name} is PWM: value must be 0..100 (%), got ${JSON.stringify(text.slice(0, 20))}`);
  const value = Number(t.replace("%", ""));
  if (value > 100) throw new ActuatorError("bad-value", `${config.name} is PWM: value must be 0..100 (%), got ${value}`);
  return value;
}
