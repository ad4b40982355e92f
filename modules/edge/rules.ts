import type { ActuatorSource } from "../io/actuator-source.js";
import type { Reading } from "../io/reading.js";
import type { RuleConfig } from "./rule-config.js";

/** What the rules need of the outputs (io/actuators.ts). */
export interface RuleOutputs {
  set(name: string, value: number, source: ActuatorSource, reason?: string): number;
  interlock(name: string, reason: string): void;
  release(name: string, source: ActuatorSource, why?: string): boolean;
  config(name: string): { safeState: number };
}

export interface RulesOptions {
  /** Monotonic ms. */
  now: () => number;
  /** The node's event sink; every action is a `rule` event naming the rule. */
  event: (kind: string, detail: string, fields: Record<string, string | number | boolean>) => void;
  /** An action the output refused (held, min-on, fault): logged once per output and message, retried at each check. */
  onError?: (message: string) => void;
}

type Mode = "on" | "off" | "safe";

interface RuleState {
  config: RuleConfig;
  mode?: Mode;
  /** Why the mode is what it is, for events and `describe`. */
  why: string;
  /** Monotonic ms of the last good (or uncertain) reading; boot counts as one. */
  lastGood: number;
}

/** What one output is given by the rules now. */
interface Applied {
  /** Threshold rules: the value set and by which rule; undefined: no rule claim. */
  value?: number;
  rule?: string;
  /** An interlock rule holds it. */
  interlocked: boolean;
  error?: string;
}

/**
 * Local rules (issue 12, item 6), evaluated at each reading of their input
 * and at each `check()` (the node calls it every second, for staleness),
 * whether the node is online or not. A threshold rule is `on` past its on
 * limit and `off` past its off limit (hysteresis); from no state, a value
 * between the two counts as off. A bad reading, or no good one for
 * `stale_s`, puts a rule in `safe`: a threshold rule then asks for its
 * output's safe state, an interlock engages. On one output the threshold
 * rules are arbitrated by priority: the highest whose demand is a value
 * (`on`: value; `off`: else, or nothing when else is not set; `safe`: the
 * safe state) wins, with source `rule`; when none has a demand the rule
 * claim is released. Interlock rules on an output combine: while any is
 * engaged (or safe) the output is held by `interlock` in its safe state.
 * Every action taken (set, release, interlock, interlock released) is a
 * `rule` event with the rule's name; an action the output refuses is
 * retried at each check. Never throws.
 */
export class Rules {
  #rules: RuleState[];
  #outputs = new Map<string, Applied>();
  #outputsApi: RuleOutputs;
  #options: RulesOptions;

  constructor(rules: readonly RuleConfig[], outputs: RuleOutputs, options: RulesOptions) {
    const now = options.now();
    this.#rules = rules.map((config) => ({ config, why: "no reading yet", lastGood: now }));
    this.#outputsApi = outputs;
    this.#options = options;
    for (const rule of rules) if (!this.#outputs.has(rule.output)) this.#outputs.set(rule.output, { interlocked: false });
  }

  /** A reading of any channel: the rules on it are judged and their outputs updated. */
  push(reading: Reading): void {
    let touched = false;
    for (const rule of this.#rules) {
      if (rule.config.input !== reading.channel) continue;
      touched = true;
      this.#judge(rule, reading);
    }
    if (touched) this.#applyAll();
  }

  /** The periodic check: stale inputs go safe, refused actions are retried. */
  check(): void {
    const now = this.#options.now();
    for (const rule of this.#rules)
      if (rule.mode !== "safe" && now - rule.lastGood > rule.config.staleMs) this.#enter(rule, "safe", `${rule.config.input} stale: no good reading for ${rule.config.staleMs / 1000} s`);
    this.#applyAll();
  }

  /** One line per rule: `cooling: on (room_temp 5.2 above 5) -> compressor`. */
  describe(): string[] {
    return this.#rules.map((r) => `${r.config.name}: ${r.config.kind} ${r.mode ?? "waiting"} (${r.why}) -> ${r.config.output}`);
  }

  #judge(rule: RuleState, reading: Reading): void {
    const { input, direction, on, off } = rule.config;
    if (reading.quality === "bad" || !Number.isFinite(reading.value)) {
      this.#enter(rule, "safe", `${input} bad${reading.quality === "bad" ? `:${reading.reason}` : ""}`);
      return;
    }
    const v = reading.value;
    rule.lastGood = reading.at;
    const shown = Number(v.toFixed(3));
    if (direction === "above") {
      if (v > on && rule.mode !== "on") this.#enter(rule, "on", `${input} ${shown} above ${on}`);
      else if (rule.mode === "on" ? v < off : v <= on && rule.mode !== "off") this.#enter(rule, "off", `${input} ${shown} ${rule.mode === "on" ? `below ${off}` : `not above ${on}`}`);
    } else {
      if (v < on && rule.mode !== "on") this.#enter(rule, "on", `${input} ${shown} below ${on}`);
      else if (rule.mode === "on" ? v > off : v >= on && rule.mode !== "off") this.#enter(rule, "off", `${input} ${shown} ${rule.mode === "on" ? `above ${off}` : `not below ${on}`}`);
    }
  }

  #enter(rule: RuleState, mode: Mode, why: string): void {
    if (rule.mode === mode) return;
    rule.mode = mode;
    rule.why = why;
  }

  #applyAll(): void {
    for (const [output, applied] of this.#outputs) {
      try {
        this.#applyInterlock(output, applied);
        this.#applyThreshold(output, applied);
      } catch (error) {
        this.#refused(applied, `${output}:${(error as { code?: string }).code ?? (error as Error).message}`, `rules on ${output}: ${(error as Error).message}`);
      }
    }
  }

  #applyInterlock(output: string, applied: Applied): void {
    const engaged = this.#rules.find((r) => r.config.kind === "interlock" && r.config.output === output && (r.mode === "on" || r.mode === "safe"));
    if (engaged && !applied.interlocked) {
      this.#outputsApi.interlock(output, `rule ${engaged.config.name}: ${engaged.why}`);
      applied.interlocked = true;
      this.#event(engaged, "interlock", `${output} interlocked`);
    } else if (!engaged && applied.interlocked) {
      const last = this.#rules.find((r) => r.config.kind === "interlock" && r.config.output === output)!;
      this.#outputsApi.release(output, "interlock", `rule ${last.config.name}: ${last.why}`);
      applied.interlocked = false;
      this.#event(last, "release_interlock", `${output} interlock released`);
    }
  }

  #applyThreshold(output: string, applied: Applied): void {
    const candidates = this.#rules.filter((r) => r.config.kind === "threshold" && r.config.output === output && r.mode !== undefined).sort((a, b) => b.config.priority - a.config.priority);
    let winner: RuleState | undefined;
    let demand: number | undefined;
    for (const rule of candidates) {
      demand = rule.mode === "on" ? rule.config.value : rule.mode === "off" ? rule.config.otherwise : this.#outputsApi.config(output).safeState;
      if (demand !== undefined) {
        winner = rule;
        break;
      }
    }
    if (winner && demand !== undefined) {
      if (applied.value === demand && applied.rule === winner.config.name) return;
      if (applied.interlocked) return; // the interlock holds it; the rule claim waits until it lets go
      this.#outputsApi.set(output, demand, "rule", `rule ${winner.config.name}: ${winner.why}`);
      applied.value = demand;
      applied.rule = winner.config.name;
      applied.error = undefined;
      this.#event(winner, "set", `${output} ${demand}`, demand);
    } else if (applied.rule !== undefined) {
      const last = this.#rules.find((r) => r.config.name === applied.rule)!;
      this.#outputsApi.release(output, "rule", `rule ${last.config.name}: ${last.why}`);
      applied.value = undefined;
      applied.rule = undefined;
      this.#event(last, "release", `${output} released`);
    }
  }

  #event(rule: RuleState, action: string, what: string, value?: number): void {
    const fields: Record<string, string | number | boolean> = { rule: rule.config.name, act: rule.config.output, action, mode: rule.mode ?? "waiting" };
    if (value !== undefined) fields.value = value;
    this.#options.event("rule", `${rule.config.name}: ${what} (${rule.why})`, fields);
  }

  #refused(applied: Applied, key: string, message: string): void {
    if (applied.error === key) return;
    applied.error = key;
    this.#options.onError?.(message);
  }
}
