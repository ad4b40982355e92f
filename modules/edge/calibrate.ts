import { withValue, type Emit, type Filter, type Sample } from "./filter.js";

/**
 * `calibrate(gain, offset)`: `out = gain·x + offset`. Good and uncertain
 * readings are calibrated (keeping their quality); bad or non-finite ones
 * pass unchanged. Stateless. Throws RangeError for a non-finite gain or
 * offset, or a gain of 0 (it would erase the signal).
 */
export class Calibrate implements Filter {
  readonly gain: number;
  readonly offset: number;

  constructor(gain: number, offset: number) {
    if (!Number.isFinite(gain) || gain === 0) throw new RangeError(`calibrate: gain must be a finite number other than 0, got ${gain}`);
    if (!Number.isFinite(offset)) throw new RangeError(`calibrate: offset must be a finite number, got ${offset}`);
    this.gain = gain;
    this.offset = offset;
  }

  /**
   * `calibrate2(raw1, ref1, raw2, ref2)`: the line through two reference
   * points (raw reading → true value). Throws RangeError when raw1 = raw2 or
   * ref1 = ref2, or a value is not finite.
   */
  static fromTwoPoints(raw1: number, ref1: number, raw2: number, ref2: number): Calibrate {
    if (![raw1, ref1, raw2, ref2].every(Number.isFinite)) throw new RangeError(`calibrate2: points must be finite numbers, got ${raw1}, ${ref1}, ${raw2}, ${ref2}`);
    if (raw1 === raw2) throw new RangeError(`calibrate2: raw1 and raw2 must differ, got ${raw1} twice`);
    if (ref1 === ref2) throw new RangeError(`calibrate2: ref1 and ref2 must differ, got ${ref1} twice`);
    const gain = (ref2 - ref1) / (raw2 - raw1);
    return new Calibrate(gain, ref1 - gain * raw1);
  }

  push(sample: Sample, emit: Emit): void {
    if (sample.quality === "bad" || !Number.isFinite(sample.value)) emit(sample);
    else emit(withValue(sample, this.gain * sample.value + this.offset));
  }

  flush(): void {}
}
