/**
 * Signal models of simulated machines: each is a function of virtual time
 * (ms since the machine started) and of a seeded random source, so a profile
 * gives the same values every run at any --speed.
 */

/** A signal as a profile declares it (validated by profile.ts). */
export type SignalSpec =
  | { kind: "constant"; value: number; add?: SignalSpec[] }
  | { kind: "sine"; offset: number; amplitude: number; period_s: number; phase_s: number; add?: SignalSpec[] }
  | { kind: "random_walk"; start: number; step: number; every_s: number; min: number; max: number; add?: SignalSpec[] }
  | { kind: "step"; before: number; after: number; at_s: number; add?: SignalSpec[] }
  | { kind: "ramp"; from: number; to: number; start_s: number; duration_s: number; add?: SignalSpec[] }
  | { kind: "noise"; mean: number; sd: number; add?: SignalSpec[] }
  | { kind: "spikes"; base: number; height: number; every_s: number; width_s: number; add?: SignalSpec[] }
  | { kind: "csv"; column: string; scale: number; offset: number; add?: SignalSpec[] };

/** Signal kinds, for validation messages. */
export const SIGNAL_KINDS = ["constant", "sine", "random_walk", "step", "ramp", "noise", "spikes", "csv"] as const;

/** A value source over virtual time: `valueAt(t)` for non-decreasing t (ms). */
export type Signal = (tMs: number) => number;

/** Where `csv` signals find their column's value at a time (replay-source.ts). */
export type ColumnSource = (column: string, tMs: number) => number;

/**
 * Builds a signal: the kind's value plus the sum of its `add` signals.
 * `random` is a seeded [0, 1) source used by random_walk, noise and spikes
 * (each signal draws its own seed from it, so adding a channel does not
 * change the others' noise). `columns` serves `csv`.
 */
export function buildSignal(spec: SignalSpec, random: () => number, columns?: ColumnSource): Signal {
  const base = buildOne(spec, mulberry32(Math.floor(random() * 2 ** 32)), columns);
  const extras = (spec.add ?? []).map((s) => buildSignal(s, random, columns));
  if (extras.length === 0) return base;
  return (t) => extras.reduce((sum, signal) => sum + signal(t), base(t));
}

function buildOne(spec: SignalSpec, random: () => number, columns?: ColumnSource): Signal {
  switch (spec.kind) {
    case "constant":
      return () => spec.value;
    case "sine":
      return (t) => spec.offset + spec.amplitude * Math.sin((2 * Math.PI * (t / 1000 + spec.phase_s)) / spec.period_s);
    case "step":
      return (t) => (t / 1000 < spec.at_s ? spec.before : spec.after);
    case "ramp":
      return (t) => {
        const f = Math.min(1, Math.max(0, (t / 1000 - spec.start_s) / spec.duration_s));
        return spec.from + (spec.to - spec.from) * f;
      };
    case "noise":
      return () => spec.mean + spec.sd * gaussian(random);
    case "random_walk": {
      // Steps on a fixed grid, so the value at t does not depend on when it is read.
      let index = 0;
      let value = spec.start;
      return (t) => {
        const target = Math.floor(t / 1000 / spec.every_s);
        for (; index < target; index++) value = Math.min(spec.max, Math.max(spec.min, value + spec.step * (2 * random() - 1)));
        return value;
      };
    }
    case "spikes": {
      // Slots of width_s; each holds a spike with probability width_s / every_s, decided once per slot.
      const slots = new Map<number, boolean>();
      let lastSlot = -1;
      return (t) => {
        const slot = Math.floor(t / 1000 / spec.width_s);
        for (let s = lastSlot + 1; s <= slot; s++) slots.set(s, random() < spec.width_s / spec.every_s);
        if (slot > lastSlot) lastSlot = slot;
        if (slots.size > 64) for (const key of slots.keys()) if (key < slot - 32) slots.delete(key);
        return spec.base + (slots.get(slot) ? spec.height : 0);
      };
    }
    case "csv":
      return (t) => spec.offset + spec.scale * (columns ? columns(spec.column, t) : Number.NaN);
  }
}

/** Standard normal deviate (Box-Muller). */
function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** A seeded [0, 1) source (mulberry32). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
