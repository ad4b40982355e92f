/**
 * Faults injected into a running machine, from the simulator's console
 * (`sim fault <chip|channel> <kind> [for <s>]`, `sim clear`) and from a
 * profile's schedule. Chip faults (`nack`, `open`) silence a chip; value
 * faults (`stuck`, `noise`, `spike`, `drift`) change what a channel's chip
 * measures (plant.ts). A fault on a chip applies to every channel on it; a
 * chip fault named by a channel applies to its chip. At most 32 at once.
 */
import type { PlacedChip } from "./chip-bindings.js";
import type { Plant, ValueFault } from "./plant.js";
import { FAULT_KINDS, type FaultKind, type FaultSpec } from "./profile.js";

/** Most faults active at once (a bound on the console's list). */
export const FAULTS_MAX = 32;

interface Active {
  target: string;
  kind: FaultKind;
  until?: number;
  timer?: unknown;
  undo(): void;
}

export interface MachineClock {
  now(): number;
  once(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export class FaultInjector {
  #plant: Plant;
  #chips: PlacedChip[];
  #clock: MachineClock;
  #active: Active[] = [];
  #scheduled: unknown[] = [];
  /** Called with a line for the simulator's log when a fault starts or ends. */
  onChange: ((line: string) => void) | undefined;

  constructor(plant: Plant, chips: PlacedChip[], clock: MachineClock) {
    this.#plant = plant;
    this.#chips = chips;
    this.#clock = clock;
  }

  /** Chip ids and channel names a fault may name. */
  targets(): string[] {
    return [...this.#chips.map((c) => c.spec.id), ...this.#plant.names().filter((n) => !this.#chips.some((c) => c.spec.id === n))];
  }

  /**
   * Starts fault `kind` on `target` (a chip id or a channel name), for
   * `forS` seconds of machine time when given. Returns what it did, for the
   * console. Throws RangeError naming the bad target, kind or time.
   */
  inject(target: string, kind: string, forS?: number): string {
    if (!(FAULT_KINDS as readonly string[]).includes(kind)) throw new RangeError(`fault must be one of ${FAULT_KINDS.join(", ")}, got ${JSON.stringify(kind.slice(0, 20))}`);
    if (forS !== undefined && !(forS > 0 && forS <= 31_536_000)) throw new RangeError(`for: seconds must be more than 0, got ${forS}`);
    const chip = this.#chips.find((c) => c.spec.id === target);
    const channelChip = this.#chips.find((c) => c.channels.includes(target));
    if (!chip && !channelChip) throw new RangeError(`no chip or channel ${JSON.stringify(target.slice(0, 20))}; targets: ${this.targets().join(", ")}`);
    // The same fault again on the same target replaces the first (and its time).
    for (const same of this.#active.filter((a) => a.target === target && a.kind === kind)) this.#end(same, "replaced");
    if (this.#active.length >= FAULTS_MAX) throw new RangeError(`${FAULTS_MAX} faults are active already: sim clear first`);
    const fault = kind as FaultKind;
    let undo: () => void;
    if (fault === "nack" || fault === "open") {
      const c = chip ?? channelChip!;
      c.fault(fault);
      undo = () => c.clear();
    } else {
      const channels = chip ? chip.channels : [target];
      for (const ch of channels) this.#plant.fault(ch, fault as ValueFault);
      undo = () => {
        for (const ch of channels) this.#plant.clear(ch);
      };
    }
    const active: Active = { target, kind: fault, undo };
    if (forS !== undefined) {
      active.until = this.#clock.now() + forS * 1000;
      active.timer = this.#clock.once(() => this.#end(active, "time over"), forS * 1000);
    }
    this.#active.push(active);
    const line = `fault ${fault} on ${target}${forS !== undefined ? ` for ${forS} s` : ""}`;
    this.onChange?.(line);
    return line;
  }

  /** Ends every fault (and nothing else: the schedule goes on). */
  clear(): number {
    const n = this.#active.length;
    for (const active of [...this.#active]) this.#end(active, "cleared");
    return n;
  }

  /** The active faults, one line each. */
  list(): string[] {
    const now = this.#clock.now();
    return this.#active.map((a) => `${a.kind} on ${a.target}${a.until !== undefined ? ` (${Math.ceil((a.until - now) / 1000)} s left)` : ""}`);
  }

  /** Starts each scheduled fault at its `at_s` of machine time. */
  schedule(faults: FaultSpec[]): void {
    for (const f of faults) {
      const delay = Math.max(0, f.at_s * 1000 - this.#clock.now());
      this.#scheduled.push(this.#clock.once(() => {
        try {
          this.inject(f.target, f.fault, f.for_s);
        } catch (error) {
          this.onChange?.(`scheduled fault ${f.fault} on ${f.target} not started: ${(error as Error).message}`);
        }
      }, delay));
    }
  }

  /** Stops the schedule and the timers of timed faults (the faults stay as they are). */
  stop(): void {
    for (const handle of this.#scheduled) this.#clock.clear(handle);
    this.#scheduled = [];
    for (const a of this.#active) this.#clock.clear(a.timer);
  }

  #end(active: Active, why: string): void {
    const i = this.#active.indexOf(active);
    if (i < 0) return;
    this.#active.splice(i, 1);
    this.#clock.clear(active.timer);
    active.undo();
    this.onChange?.(`fault ${active.kind} on ${active.target} ended (${why})`);
  }
}
