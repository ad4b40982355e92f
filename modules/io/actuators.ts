/**
 * The node's outputs: relays (on/off), PWM outputs (0-100 %) and the coils
 * and holding registers of Modbus devices (modbus/modbus-output.ts: a
 * failed write is an `act_fault` event and is written again until the
 * device takes it), opened from the config, each with a safe state applied
 * at boot and at stop.
 *
 * Every command names its source (actuator-source.ts). An output is held by
 * the highest source that claims it: failsafe > interlock > console test >
 * local rule > remote command. A lower source is refused (`held`, naming the
 * holder) until the holder releases; then the output goes back to the next
 * claim below, or to its safe state when none is left. The console and the
 * MQTT `act` verb, the edge rules and the failsafe all come through `set`.
 *
 * Minimum on/off times (a compressor must not short-cycle): a command that
 * would switch too early is refused (`min-on`/`min-off`); a release that
 * would is applied when the time is up. Failsafe and interlock switch at once.
 *
 * Link-loss failsafe: with `act.<name>.failsafe_s` > 0, no broker and no
 * command for that long puts the output in its safe state, held until the
 * next command. Run feedback: see run-feedback.ts. Every change of value or
 * holder is an `act` event naming its source.
 */
import type { ActuatorConfig } from "../config/node-config.js";
import type { Logger } from "../log.js";
import type { DigitalIO, Platform, PWMIO, TimerHandle } from "../platform.js";
import { ActuatorError, SOURCE_RANK, SOURCES, type ActuatorSource } from "./actuator-source.js";
import { actuatorValue, parseActuatorText, showActuatorValue } from "./actuator-value.js";
import { RunFeedback } from "./run-feedback.js";
import { modbusBusOf } from "./modbus/modbus-bus.js";
import { ModbusOutput } from "./modbus/modbus-output.js";

export { ActuatorError, type ActuatorSource } from "./actuator-source.js";

/** Where the outputs report changes and faults (the node's `.../evt`). */
export type ActuatorEvents = (kind: string, detail: string, fields?: Record<string, string | number | boolean>) => void;

/** One source's claim on an output. */
interface Claim {
  value: number;
  /** Why (an interlock's reason, "no broker ...", "test for 60 s"). */
  reason?: string;
}

/** How an output stands, for `status`, the console and tests. */
export interface ActuatorState {
  name: string;
  value: number;
  /** The source holding the output; undefined: nobody, it is in its safe state. */
  holder?: ActuatorSource;
  reason?: string;
  /** Seconds left of a console test. */
  testLeftS?: number;
  feedbackFault: boolean;
  fault?: string;
  /** A Modbus output: whether the device took the value, and why the last write failed while it keeps failing. */
  write?: { confirmed: boolean; fault?: string };
}

interface Output {
  config: ActuatorConfig;
  digital?: DigitalIO;
  pwm?: PWMIO;
  modbus?: ModbusOutput;
  /** Current value, 0-100 (relays: 0 or 100). */
  value: number;
  /** Monotonic ms of the last on/off change (boot counts as one). */
  changedAt: number;
  fault?: string;
  claims: Map<ActuatorSource, Claim>;
  feedback?: RunFeedback;
  failsafeTimer?: TimerHandle;
  testTimer?: TimerHandle;
  testEndsAt?: number;
  /** A release waits for the minimum on/off time. */
  settleTimer?: TimerHandle;
}

/** Sources that are commands (they end a failsafe and restart its countdown). */
const COMMANDS: readonly ActuatorSource[] = ["console", "rule", "remote"];

export class Actuators {
  #platform: Platform;
  #log: Logger;
  #events: ActuatorEvents;
  #outputs = new Map<string, Output>();
  #linkUp = false;

  /** `events` gets every change and fault (default: the log only). */
  constructor(platform: Platform, log: Logger, configs: ActuatorConfig[], events?: ActuatorEvents) {
    this.#platform = platform;
    this.#log = log;
    this.#events = events ?? ((kind, detail) => log.info("act", `${kind}: ${detail}`));
    for (const config of configs) this.#outputs.set(config.name, { config, value: config.safeState, changedAt: 0, claims: new Map() });
  }

  /** Opens every output and drives it to its safe state; starts feedback and failsafe watches. A failing one is reported; the others go on. */
  start(): void {
    const now = this.#platform.clock.monotonic();
    for (const out of this.#outputs.values()) {
      const { config } = out;
      try {
        if (config.modbus) out.modbus = this.#openModbus(config);
        else if (config.type === "pwm") out.pwm = new this.#platform.io.PWM({ pin: config.pin! });
        else out.digital = new this.#platform.io.Digital({ pin: config.pin!, mode: "output" });
        this.#drive(out, config.safeState);
        out.changedAt = now;
      } catch (error) {
        out.fault = `open failed: ${(error as Error).message}`;
        this.#log.error("act", `${config.name}: ${out.fault}`);
        continue;
      }
      if (config.feedbackPin !== undefined) {
        const feedback = new RunFeedback(this.#platform, config.name, config.feedbackPin, config.feedbackS ?? 5, {
          fault: (detail) => this.#events("act_fault", detail, { act: config.name, fault: "feedback" }),
          cleared: (detail) => this.#events("act_fault_cleared", detail, { act: config.name, fault: "feedback" }),
        });
        try {
          feedback.start(out.value);
          out.feedback = feedback;
        } catch (error) {
          this.#events("act_fault", `${config.name}: feedback pin ${config.feedbackPin} failed to open: ${(error as Error).message}`, { act: config.name, fault: "feedback" });
        }
      }
      this.#armFailsafe(out);
    }
  }

  /** Names, for `act` errors and status. */
  names(): string[] {
    return [...this.#outputs.keys()].sort();
  }

  /** The config of `name`; throws ActuatorError `unknown-actuator`. */
  config(name: string): ActuatorConfig {
    return this.#output(name).config;
  }

  /** Current state of one output; throws ActuatorError `unknown-actuator`. */
  state(name: string): ActuatorState {
    const out = this.#output(name);
    const holder = holderOf(out);
    const state: ActuatorState = { name, value: out.value, feedbackFault: out.feedback?.faulted ?? false };
    if (holder) {
      state.holder = holder;
      const reason = out.claims.get(holder)?.reason;
      if (reason !== undefined) state.reason = reason;
    }
    if (out.testEndsAt !== undefined) state.testLeftS = Math.ceil((out.testEndsAt - this.#platform.clock.monotonic()) / 1000);
    if (out.fault) state.fault = out.fault;
    if (out.modbus) {
      const { confirmed, fault } = out.modbus.state;
      state.write = fault === undefined ? { confirmed } : { confirmed, fault };
    }
    return state;
  }

  /** Current state of each output, e.g. "pump=on by remote", "fan=40% by console (55 s left)", "valve=off (safe state)". */
  describe(): string[] {
    return this.names().map((name) => {
      const s = this.state(name);
      const out = this.#output(name);
      if (s.fault) return `${name}=fault (${s.fault})`;
      let text = `${name}=${showActuatorValue(out.config, s.value)}`;
      text += s.holder ? ` by ${s.holder}` : " (safe state)";
      if (s.holder === "console" && s.testLeftS !== undefined) text += ` (${s.testLeftS} s left)`;
      else if (s.holder && s.reason) text += ` (${s.reason})`;
      if (s.feedbackFault) text += " [feedback fault]";
      if (s.write?.fault !== undefined) text += ` [write failed: ${s.write.fault}; retrying in ${Math.ceil((out.modbus?.state.retryInMs ?? 0) / 1000)} s]`;
      else if (s.write && !s.write.confirmed) text += " [writing]";
      return text;
    });
  }

  /** Parses what a technician typed for `name`; throws ActuatorError `unknown-actuator` or `bad-value`. */
  parse(name: string, text: string): number {
    return parseActuatorText(this.#output(name).config, text);
  }

  /**
   * Sets output `name` to `value` (relay: boolean or 0/1/100; PWM 0..100 %)
   * on behalf of `source`, which then holds it. Returns the applied value.
   * Throws ActuatorError (and changes nothing): `unknown-actuator`,
   * `bad-value`, `fault` (the output did not open), `held` (a higher source
   * holds it; an interlock is never refused, its claim waits behind a
   * failsafe), `min-on`/`min-off` (a command would switch too early, with the
   * seconds to wait). A command (console, rule, remote) ends a failsafe.
   */
  set(name: string, value: number | boolean, source: ActuatorSource, reason?: string): number {
    const out = this.#output(name);
    const v = actuatorValue(out.config, value);
    if (out.fault || !isOpen(out)) throw new ActuatorError("fault", `${name}: ${out.fault ?? "not open"}`);
    const isCommand = COMMANDS.includes(source);
    const blocking = SOURCES.find((s) => SOURCE_RANK[s] > SOURCE_RANK[source] && out.claims.has(s) && !(isCommand && s === "failsafe") && source !== "interlock");
    if (blocking) {
      const why = out.claims.get(blocking)?.reason;
      throw new ActuatorError("held", `${name} is held by ${blocking}${why ? ` (${why})` : ""}: a ${source} command waits until it releases`);
    }
    const claims = new Map(out.claims);
    if (isCommand) claims.delete("failsafe");
    claims.set(source, reason === undefined ? { value: v } : { value: v, reason });
    const winner = SOURCES.find((s) => claims.has(s))!;
    const target = claims.get(winner)!.value;
    if (isCommand) this.#checkMinTimes(out, target);
    const wasHolder = holderOf(out);
    out.claims = claims;
    this.#platform.timers.clear(out.settleTimer);
    out.settleTimer = undefined;
    if (isCommand) this.#armFailsafe(out);
    this.#apply(out, target, winner, wasHolder, reason);
    return out.value;
  }

  /**
   * The console's test mode: `set(name, value, "console")` for `seconds`
   * (default `act.<name>.test_s`), then the console releases and the output
   * goes back to whoever held it before. Throws like `set`.
   */
  test(name: string, value: number | boolean, seconds?: number): number {
    const out = this.#output(name);
    const s = seconds ?? out.config.testS ?? 600;
    if (!Number.isFinite(s) || s <= 0 || s > 86_400) throw new ActuatorError("bad-value", `test time must be 1..86400 s, got ${s}`);
    const applied = this.set(name, value, "console", `test for ${s} s`);
    this.#platform.timers.clear(out.testTimer);
    out.testEndsAt = this.#platform.clock.monotonic() + s * 1000;
    out.testTimer = this.#platform.timers.once(() => {
      out.testTimer = undefined;
      out.testEndsAt = undefined;
      this.release(name, "console", "test time over");
    }, s * 1000);
    return applied;
  }

  /** An interlock of the edge rules: drives `name` to its safe state and holds it until `release(name, "interlock")`. Throws like `set`. */
  interlock(name: string, reason: string): void {
    this.set(name, this.#output(name).config.safeState, "interlock", reason.slice(0, 64));
  }

  /**
   * Ends `source`'s claim on `name`: the output goes to the next claim below,
   * or to its safe state, as soon as the minimum on/off times allow. Returns
   * false when `source` held no claim. Throws ActuatorError `unknown-actuator`.
   */
  release(name: string, source: ActuatorSource, why = "released"): boolean {
    const out = this.#output(name);
    if (!out.claims.has(source)) return false;
    const wasHolder = holderOf(out);
    out.claims.delete(source);
    if (source === "console") this.#clearTest(out);
    if (COMMANDS.includes(source)) this.#armFailsafe(out);
    this.#settle(out, wasHolder, `${source} ${why}`);
    return true;
  }

  /** The MQTT link came up (true) or went down (false): the failsafe countdown runs only while it is down. */
  linkUp(up: boolean): void {
    if (up === this.#linkUp) return;
    this.#linkUp = up;
    for (const out of this.#outputs.values()) this.#armFailsafe(out);
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
      for (const timer of [out.failsafeTimer, out.testTimer, out.settleTimer]) this.#platform.timers.clear(timer);
      out.failsafeTimer = out.testTimer = out.settleTimer = out.testEndsAt = undefined;
      out.feedback?.stop();
      out.feedback = undefined;
      try {
        if (isOpen(out)) this.#drive(out, out.config.safeState);
      } catch (error) {
        this.#log.error("act", `${out.config.name}: safe state failed: ${(error as Error).message}`);
      }
      out.digital?.close();
      out.pwm?.close();
      out.modbus?.close();
      out.digital = undefined;
      out.pwm = undefined;
      out.modbus = undefined;
    }
  }

  #output(name: string): Output {
    const out = this.#outputs.get(name);
    if (!out) throw new ActuatorError("unknown-actuator", `no actuator "${name.slice(0, 20)}"; actuators: ${this.names().join(", ") || "none configured"}`);
    return out;
  }

  /** Throws min-on/min-off when switching `out` to `target` now would cut its minimum time short. */
  #checkMinTimes(out: Output, target: number): void {
    const wait = this.#minWaitMs(out, target);
    if (wait <= 0) return;
    const on = out.value > 0;
    const elapsed = (this.#platform.clock.monotonic() - out.changedAt) / 1000;
    const min = on ? out.config.minOnS : out.config.minOffS;
    throw new ActuatorError(on ? "min-on" : "min-off", `${out.config.name} has been ${on ? "on" : "off"} for ${Math.floor(elapsed)} s; min_${on ? "on" : "off"}_s is ${min}: wait ${Math.ceil(wait / 1000)} s`);
  }

  /** Ms until `out` may switch to `target` (0: now). */
  #minWaitMs(out: Output, target: number): number {
    const on = out.value > 0;
    if (on === target > 0) return 0;
    const min = (on ? out.config.minOnS : out.config.minOffS) * 1000;
    return out.changedAt + min - this.#platform.clock.monotonic();
  }

  /** After a release: applies the winning claim (or the safe state), waiting out a minimum on/off time first. */
  #settle(out: Output, wasHolder: ActuatorSource | undefined, why: string): void {
    this.#platform.timers.clear(out.settleTimer);
    out.settleTimer = undefined;
    const winner = holderOf(out);
    const target = winner ? out.claims.get(winner)!.value : out.config.safeState;
    const safety = winner === "failsafe" || winner === "interlock";
    const wait = safety ? 0 : this.#minWaitMs(out, target);
    if (wait > 0) {
      this.#log.info("act", `${out.config.name}: ${why}; switching in ${Math.ceil(wait / 1000)} s (minimum on/off time)`);
      out.settleTimer = this.#platform.timers.once(() => this.#settle(out, wasHolder, why), wait);
      return;
    }
    try {
      this.#apply(out, target, winner, wasHolder, why);
    } catch (error) {
      this.#log.error("act", `${out.config.name}: ${(error as Error).message}`);
    }
  }

  /** Drives `out` to `value` and reports the change of value or holder as an `act` event. */
  #apply(out: Output, value: number, holder: ActuatorSource | undefined, wasHolder: ActuatorSource | undefined, reason?: string): void {
    const was = out.value;
    if ((was > 0) !== (value > 0)) out.changedAt = this.#platform.clock.monotonic();
    this.#drive(out, value);
    out.feedback?.expect(value);
    const { config } = out;
    if (was !== value) this.#log.info("act", `${config.name} set to ${showActuatorValue(config, value)} by ${holder ?? "safe state"}`);
    if (was === value && holder === wasHolder) return;
    const by = holder ?? "safe state";
    const detail = `${config.name} ${showActuatorValue(config, value)}${was === value ? "" : ` (was ${showActuatorValue(config, was)})`} by ${by}${reason ? `: ${reason}` : ""}`;
    const fields: Record<string, string | number | boolean> = { act: config.name, value, was, source: holder ?? "safe" };
    if (reason) fields.reason = reason;
    this.#events("act", detail, fields);
  }

  /** The console's claim is gone: its test timer goes with it. */
  #clearTest(out: Output): void {
    this.#platform.timers.clear(out.testTimer);
    out.testTimer = undefined;
    out.testEndsAt = undefined;
  }

  /** (Re)starts the link-loss countdown of `out` while the link is down; stops it while up. */
  #armFailsafe(out: Output): void {
    this.#platform.timers.clear(out.failsafeTimer);
    out.failsafeTimer = undefined;
    const seconds = out.config.failsafeS ?? 0;
    if (this.#linkUp || seconds <= 0 || !isOpen(out)) return;
    out.failsafeTimer = this.#platform.timers.once(() => {
      out.failsafeTimer = undefined;
      this.#failsafe(out, seconds);
    }, seconds * 1000);
  }

  /** No broker and no command for `failsafe_s`: safe state, held until the next command. */
  #failsafe(out: Output, seconds: number): void {
    const wasHolder = holderOf(out);
    const interlock = out.claims.get("interlock");
    out.claims = new Map([["failsafe", { value: out.config.safeState, reason: `no broker and no command for ${seconds} s` }]]);
    if (interlock) out.claims.set("interlock", interlock);
    this.#clearTest(out);
    this.#platform.timers.clear(out.settleTimer);
    out.settleTimer = undefined;
    try {
      this.#apply(out, out.config.safeState, "failsafe", wasHolder, `no broker and no command for ${seconds} s`);
    } catch (error) {
      this.#log.error("act", `${out.config.name}: failsafe failed: ${(error as Error).message}`);
    }
  }

  /** The write side of a Modbus actuator on the board's bus; throws when there is no bus or no such device. */
  #openModbus(config: ActuatorConfig): ModbusOutput {
    const bus = modbusBusOf(this.#platform.io);
    if (!bus) throw new Error("this node has no RS-485 port or no mb devices");
    const fields = { act: config.name, fault: "write" };
    return new ModbusOutput(bus, config.name, config.modbus!, config.type === "modbus_coil", this.#platform.timers, () => this.#platform.clock.monotonic(), {
      failed: (detail, reason) => this.#events("act_fault", detail, { ...fields, reason }),
      recovered: (detail) => this.#events("act_fault_cleared", detail, fields),
    });
  }

  #drive(out: Output, value: number): void {
    if (out.modbus) out.modbus.write(value);
    else if (out.pwm) {
      const max = 2 ** out.pwm.resolution - 1;
      const duty = Math.round(((out.config.invert ? 100 - value : value) / 100) * max);
      out.pwm.write(duty);
    } else out.digital?.write((value > 0) !== out.config.invert ? 1 : 0);
    out.value = value;
  }
}

/** True when the output opened (a pin, a PWM channel or a Modbus register). */
function isOpen(out: Output): boolean {
  return Boolean(out.digital || out.pwm || out.modbus);
}

/** The highest source with a claim, or undefined. */
function holderOf(out: Output): ActuatorSource | undefined {
  return SOURCES.find((s) => out.claims.has(s));
}
