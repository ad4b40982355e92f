/** Faults of a field transmitter and its wiring. */
export interface TransmitterFaults {
  /** Broken loop: no current (0 mA, 0 V). */
  open?: boolean;
  /** Shorted loop or transmitter: 24 mA (a 0-10 V output: 12 V). */
  short?: boolean;
  /** Standard deviation of added noise, in mA (or V). */
  noise?: number;
}

/** What the transmitter model needs to know; the same fields as the driver's scaling. */
export interface TransmitterWiring {
  signal: "4-20mA" | "0-10V";
  rangeLow: number;
  rangeHigh: number;
  /** Ohms (4-20 mA). */
  shunt: number;
  /** Terminal volts per ADC volt. */
  divider: number;
}

/**
 * A 4-20 mA or 0-10 V transmitter with its shunt (or divider): turns a
 * process value into the volts an ADC input sees, saturating at 3.8/20.5 mA
 * (NAMUR NE 43 measurement range) or 0/10.5 V like real transmitters, with
 * open, short and noise faults. `random` drives the noise (seed it in tests).
 */
export class TransmitterModel {
  readonly faults: TransmitterFaults = {};
  #value: () => number;
  #wiring: TransmitterWiring;
  #random: () => number;

  constructor(value: () => number, wiring: TransmitterWiring, random: () => number) {
    this.#value = value;
    this.#wiring = wiring;
    this.#random = random;
  }

  /** Loop current (mA) or output voltage (V) right now. */
  signal(): number {
    const { signal, rangeLow, rangeHigh } = this.#wiring;
    const fraction = (this.#value() - rangeLow) / (rangeHigh - rangeLow);
    const current = signal === "4-20mA";
    let out: number;
    if (this.faults.open) out = 0;
    else if (this.faults.short) out = current ? 24 : 12;
    else out = current ? Math.min(20.5, Math.max(3.8, 4 + 16 * fraction)) : Math.min(10.5, Math.max(0, 10 * fraction));
    if (this.faults.noise) out += this.faults.noise * gaussian(this.#random);
    return Math.max(0, out);
  }

  /** Volts at the ADC input. */
  volts(): number {
    const out = this.signal();
    return this.#wiring.signal === "4-20mA" ? (out * this.#wiring.shunt) / 1000 / this.#wiring.divider : out / this.#wiring.divider;
  }

  /** Counts of an ADC of `bits` whose full scale is `vref` volts, clipped like one. */
  counts(vref: number, bits: number): number {
    const max = 2 ** bits - 1;
    return Math.max(0, Math.min(max, Math.round((this.volts() / vref) * max)));
  }
}

/** A standard normal draw (Box-Muller) from a uniform source. */
function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}
