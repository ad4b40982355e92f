/**
 * The physical side of a simulated machine: the value of each profile
 * channel over virtual time, from its signal model, its couplings to
 * actuators and other channels (first-order lags, integrators), and the
 * faults injected on it. Chip models read it (chip-bindings.ts); it reads
 * the actuators from the board's output pins, as the real machine would.
 */
import type { ChannelSpec, CouplingSpec, Profile } from "./profile.js";
import { buildSignal, mulberry32, type ColumnSource, type Signal } from "./signals.js";

/** Faults that change a channel's value (the chip-level ones are in chip-bindings.ts). */
export type ValueFault = "stuck" | "noise" | "spike" | "drift";

interface CouplingState {
  spec: CouplingSpec;
  /** Lag output (add/scale) or integrated amount (rate). */
  state: number;
}

interface ChannelModel {
  spec: ChannelSpec;
  signal: Signal;
  couplings: CouplingState[];
  /** Value at `at`, cached so every chip reading at one instant sees one value. */
  value: number;
  at: number;
  fault?: { kind: ValueFault; since: number; held: number };
}

export interface PlantOptions {
  /** Virtual ms of the machine (it does not restart when the node reboots). */
  now: () => number;
  /** An actuator's output as the machine sees it: 0..1 (relay off/on, PWM duty). */
  actuator: (name: string) => number;
  /** Where csv signals read their column; absent: each csv channel uses its `fallback` signal. */
  columns?: ColumnSource;
}

export class Plant {
  #now: () => number;
  #actuator: (name: string) => number;
  #channels = new Map<string, ChannelModel>();
  /** Channels in coupling order (a channel after the channels it reads). */
  #order: ChannelModel[] = [];
  #last: number;
  #faultRandom: () => number;

  constructor(profile: Profile, options: PlantOptions) {
    this.#now = options.now;
    this.#actuator = options.actuator;
    const seeds = mulberry32(profile.seed);
    this.#faultRandom = mulberry32(profile.seed ^ 0x5eed);
    this.#last = options.now();
    for (const spec of profile.channels) {
      const useFallback = spec.signal.kind === "csv" && !options.columns && spec.fallback !== undefined;
      const signal = buildSignal(useFallback ? spec.fallback! : spec.signal, seeds, options.columns);
      const couplings = spec.couplings.map((c) => ({ spec: c, state: c.mode === "rate" ? 0 : this.#target(c) }));
      this.#channels.set(spec.name, { spec, signal, couplings, value: Number.NaN, at: Number.NaN });
    }
    const placed = new Set<string>();
    const place = (model: ChannelModel) => {
      if (placed.has(model.spec.name)) return;
      placed.add(model.spec.name);
      for (const c of model.couplings) if ("channel" in c.spec.source) place(this.#channels.get(c.spec.source.channel)!);
      this.#order.push(model);
    };
    for (const model of this.#channels.values()) place(model);
  }

  /** Channel names. */
  names(): string[] {
    return [...this.#channels.keys()];
  }

  /** The value of `channel` now (NaN for an unknown one). */
  value(channel: string): number {
    this.#advance();
    return this.#channels.get(channel)?.value ?? Number.NaN;
  }

  /** Starts a value fault on `channel`; returns false for an unknown channel. */
  fault(channel: string, kind: ValueFault): boolean {
    const model = this.#channels.get(channel);
    if (!model) return false;
    this.#advance();
    model.fault = { kind, since: this.#now(), held: model.value };
    model.at = Number.NaN;
    return true;
  }

  /** Ends the value fault on `channel` (every channel when undefined). */
  clear(channel?: string): void {
    for (const model of this.#channels.values()) {
      if (channel !== undefined && model.spec.name !== channel) continue;
      model.fault = undefined;
      model.at = Number.NaN;
    }
  }

  /** Brings every channel to now: lags and integrators step from the last instant, then the values are worked out in order. */
  #advance(): void {
    const now = this.#now();
    if (now === this.#last && this.#order.every((m) => m.at === now)) return;
    const dt = Math.max(0, now - this.#last) / 1000;
    this.#last = now;
    for (const model of this.#order) {
      for (const c of model.couplings) {
        const spec = c.spec;
        if (spec.mode === "rate") c.state += spec.rate * this.#source(spec) * dt;
        else c.state = spec.tau_s > 0 ? c.state + (this.#target(spec) - c.state) * (1 - Math.exp(-dt / spec.tau_s)) : this.#target(spec);
      }
      let value = model.signal(now);
      for (const c of model.couplings) if (c.spec.mode === "scale") value *= c.state;
      for (const c of model.couplings) if (c.spec.mode !== "scale") value += c.state;
      const { min, max } = model.spec;
      if (min !== undefined && value < min) {
        this.#unwind(model, min - value);
        value = min;
      }
      if (max !== undefined && value > max) {
        this.#unwind(model, max - value);
        value = max;
      }
      model.value = this.#faulted(model, value, now);
      model.at = now;
    }
  }

  /** A clamped channel's integrators give back what went past the limit (a full tank stays full, not "over-full"). */
  #unwind(model: ChannelModel, excess: number): void {
    const integrator = model.couplings.find((c) => c.spec.mode === "rate");
    if (integrator) integrator.state += excess;
  }

  #faulted(model: ChannelModel, value: number, now: number): number {
    const fault = model.fault;
    if (!fault) return value;
    const span = model.spec.min !== undefined && model.spec.max !== undefined ? model.spec.max - model.spec.min : Math.abs(fault.held) + 1;
    switch (fault.kind) {
      case "stuck":
        return fault.held;
      case "noise":
        return value + 0.05 * span * gaussian(this.#faultRandom);
      case "spike":
        return this.#faultRandom() < 0.2 ? value + 5 * span : value;
      case "drift":
        return value + (0.01 * span * (now - fault.since)) / 60_000;
    }
  }

  /** A coupling's source now: an actuator's output 0..1, or another channel's value (already worked out: coupling order). */
  #source(spec: CouplingSpec): number {
    if ("actuator" in spec.source) return Math.min(1, Math.max(0, this.#actuator(spec.source.actuator)));
    const model = this.#channels.get(spec.source.channel)!;
    return Number.isFinite(model.value) ? model.value : 0;
  }

  /** Where a lag heads: `off` + (`on` − `off`) × source. */
  #target(spec: CouplingSpec): number {
    if (spec.mode === "rate") return 0;
    return spec.off + (spec.on - spec.off) * this.#source(spec);
  }
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(Math.max(random(), 1e-12))) * Math.cos(2 * Math.PI * random());
}
