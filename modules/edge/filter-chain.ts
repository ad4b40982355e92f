import { Compress } from "./compress.js";
import { parseChain } from "./chain-parser.js";
import { FILTERS } from "./filter-registry.js";
import type { Emit, Filter, Sample } from "./filter.js";

/** Where a chain's output goes between calls (shared: no closure per chain). */
const ignore: Emit = () => {};

/**
 * A channel's filters in order (issue 12, item 2): each reading goes through
 * them, each stage's output into the next, the last one's to the caller.
 * With no stages every reading is reported. Before the first stage a good or
 * unstamped reading with a non-finite value becomes bad ("not a finite
 * number"). After each reading, a heartbeat stage that is due makes the
 * stages before it report what they hold (`sync`). A stage that throws (a
 * defect) is counted in `stats.errors` and the reading is lost; nothing
 * propagates to the caller.
 *
 * The stages are linked by one `emit` closure per chain (none with a single
 * stage), which knows the stage that emits from `#stage`, rather than by a
 * closure per stage: each closure costs about 11 slots of the ESP32's fixed
 * XS slot heap, and a node runs a chain per channel.
 */
export class FilterChain {
  readonly stages: readonly Filter[];
  readonly stats = { errors: 0 };
  /**
   * Sees each reading that enters the chain's last compress stage (the
   * readings its bound e is about), for observers such as the simulator's
   * dashboard; never called without a compress stage. What it throws is
   * ignored (the reading goes on).
   */
  onCompressInput: ((sample: Sample) => void) | undefined;
  /** Hands what stage `#stage` emits to the next stage (undefined with fewer than two stages). */
  #link: Emit | undefined;
  /** The stage whose output `#link` is handling now. */
  #stage = 0;
  #out: Emit = ignore;
  /** Index of the last compress stage, -1 without one. */
  #compressAt: number;

  constructor(stages: readonly Filter[]) {
    this.stages = stages;
    let at = -1;
    for (let i = 0; i < stages.length; i++) if (stages[i] instanceof Compress) at = i;
    this.#compressAt = at;
    this.#link = stages.length < 2 ? undefined : (s: Sample) => {
      const from = this.#stage;
      const next = from + 1;
      if (next === this.#compressAt) this.tap(s);
      this.stages[next].push(s, this.emitOf(next));
      this.#stage = from;
    };
  }

  // Helpers are TypeScript-private, not #private: XS gives every instance a slot per #method (the ESP32's fixed slot heap).
  /** What stage i hands its output to (its `emit`), with `#stage` set to i. */
  private emitOf(i: number): Emit {
    this.#stage = i;
    return i + 1 < this.stages.length ? this.#link! : this.#out;
  }

  private tap(sample: Sample): void {
    if (!this.onCompressInput) return;
    try {
      this.onCompressInput(sample);
    } catch {
      // An observer's fault is the observer's: the reading goes on.
    }
  }

  /** The bound e of the chain's last compress stage, if it has one (published in the birth). */
  get compressE(): number | undefined {
    let e: number | undefined;
    for (const stage of this.stages) if (stage instanceof Compress) e = stage.e;
    return e;
  }

  /** Readings its compress stages dropped because they were not later than the previous one. */
  get dropped(): number {
    let n = 0;
    for (const stage of this.stages) if (stage instanceof Compress) n += stage.stats.outOfOrder;
    return n;
  }

  /** Runs one reading through the chain; `out` gets what comes out. */
  push<T extends Sample>(sample: T, out: (sample: T) => void): void {
    this.#out = out as Emit;
    const clean = (sample.quality ?? "good") === "good" && !Number.isFinite(sample.value) ? { ...sample, quality: "bad" as const, reason: "not a finite number" } : sample;
    try {
      if (this.stages.length === 0) out(clean);
      else {
        if (this.#compressAt === 0) this.tap(clean);
        this.stages[0].push(clean, this.emitOf(0));
      }
      for (let i = 1; i < this.stages.length; i++) {
        if (!this.stages[i].due?.(clean.at)) continue;
        for (let j = 0; j < i; j++) this.stages[j].sync?.(this.emitOf(j));
      }
    } catch {
      this.stats.errors++;
    }
  }

  /** Makes every stage, in order, report what it holds and reset (at stop). */
  flush<T extends Sample>(out: (sample: T) => void): void {
    this.#out = out as Emit;
    for (let i = 0; i < this.stages.length; i++) {
      try {
        this.stages[i].flush(this.emitOf(i));
      } catch {
        this.stats.errors++;
      }
    }
  }
}

/**
 * Builds the chain a text describes (see `parseChain`). Throws RangeError
 * `column <n>: <reason>` for a bad text; validate config values with
 * `parseChain` first.
 */
export function buildChain(text: string): FilterChain {
  const parsed = parseChain(text);
  if (!parsed.ok) throw new RangeError(`column ${parsed.column}: ${parsed.reason}`);
  return new FilterChain(parsed.stages.map((stage) => FILTERS[stage.name].create(stage.args, stage.percent)));
}
