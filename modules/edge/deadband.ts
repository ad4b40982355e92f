import { usable, type Emit, type Filter, type Sample } from "./filter.js";

/**
 * `deadband(abs)` / `deadband(pct%)`: a usable reading passes when it differs
 * from the last one passed by at least `abs` (or by `pct` % of that value's
 * magnitude); others are held back (the latest is reported on `sync`, e.g.
 * by a heartbeat). The first usable reading passes. A bad, uncertain or
 * non-finite reading passes unchanged and resets, so the next usable one
 * passes too. Throws RangeError unless the band is a finite number ≥ 0
 * (a percentage at most 1000).
 */
export class Deadband implements Filter {
  #band: number;
  #percent: boolean;
  #last: number | undefined;
  #held: Sample | undefined;

  constructor(band: number, percent = false) {
    if (!Number.isFinite(band) || band < 0 || (percent && band > 1000)) throw new RangeError(`deadband: the band must be a finite number from 0${percent ? " to 1000 %" : ""}, got ${band}${percent ? "%" : ""}`);
    this.#band = band;
    this.#percent = percent;
  }

  push(sample: Sample, emit: Emit): void {
    if (!usable(sample)) {
      this.#last = undefined;
      this.#held = undefined;
      emit(sample);
      return;
    }
    const last = this.#last;
    const band = this.#percent && last !== undefined ? (Math.abs(last) * this.#band) / 100 : this.#band;
    if (last === undefined || Math.abs(sample.value - last) >= band) {
      this.#last = sample.value;
      this.#held = undefined;
      emit(sample);
    } else this.#held = sample;
  }

  sync(emit: Emit): void {
    if (!this.#held) return;
    this.#last = this.#held.value;
    emit(this.#held);
    this.#held = undefined;
  }

  flush(emit: Emit): void {
    this.sync(emit);
    this.#last = undefined;
  }
}
