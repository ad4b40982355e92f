import type { QualifiedValue } from "../quality.js";

/** Signal kinds of an industrial analog transmitter. */
export type TransmitterSignal = "4-20mA" | "0-10V";

/** How a transmitter's electrical signal maps to engineering units. */
export interface TransmitterScaling {
  /** Default "4-20mA". */
  signal: TransmitterSignal;
  /** Value at 4 mA (or 0 V); default 0. */
  rangeLow: number;
  /** Value at 20 mA (or 10 V); default 100. */
  rangeHigh: number;
  /** Shunt resistor across which a 4-20 mA loop is measured, ohms; default 250. */
  shunt: number;
  /** Volts at the terminal per volt at the ADC input (a 0-10 V divider); default 1. */
  divider: number;
}

export const SCALING_DEFAULTS: Readonly<TransmitterScaling> = Object.freeze({
  signal: "4-20mA",
  rangeLow: 0,
  rangeHigh: 100,
  shunt: 250,
  divider: 1,
});

/**
 * NAMUR NE 43 limits of a 4-20 mA signal, in mA: inside [3.8, 20.5] a
 * measurement (good); [3.6, 3.8) and (20.5, 21] uncertain, under or over
 * range; below 3.6 a broken loop, above 21 a short (bad, no value).
 */
export const NE43 = Object.freeze({ openBelow: 3.6, underBelow: 3.8, overAbove: 20.5, shortAbove: 21 });

/** 0-10 V: above 10.5 V uncertain (over range); the signal has no live zero, so no open-loop test. */
export const VOLTAGE_OVER_ABOVE = 10.5;

/**
 * Checks and completes a partial scaling. Throws TypeError for a value of the
 * wrong type and RangeError for one out of range, naming the field and value.
 */
export function checkScaling(partial: Partial<TransmitterScaling>, base: TransmitterScaling = SCALING_DEFAULTS): TransmitterScaling {
  const next = { ...base, ...partial };
  if (next.signal !== "4-20mA" && next.signal !== "0-10V") throw new RangeError(`signal must be 4-20mA or 0-10V, got ${String(next.signal)}`);
  for (const key of ["rangeLow", "rangeHigh", "shunt", "divider"] as const)
    if (typeof next[key] !== "number" || !Number.isFinite(next[key])) throw new TypeError(`${key} must be a finite number, got ${String(next[key])}`);
  if (next.rangeLow === next.rangeHigh) throw new RangeError(`rangeLow and rangeHigh must differ, got ${next.rangeLow} and ${next.rangeHigh}`);
  if (!(next.shunt >= 1 && next.shunt <= 10_000)) throw new RangeError(`shunt must be 1..10000 ohm, got ${next.shunt}`);
  if (!(next.divider >= 1 && next.divider <= 100)) throw new RangeError(`divider must be 1..100, got ${next.divider}`);
  return next;
}

/** A scaled reading plus the electrical value it came from (mA or V at the terminal). */
export interface ScaledValue extends QualifiedValue {
  signal: number;
}

/**
 * Scales `volts` measured at the ADC input to engineering units and grades it:
 * 4-20 mA by NAMUR NE 43 (`open_loop`, `under_range`, `over_range`, `short`),
 * 0-10 V by `VOLTAGE_OVER_ABOVE`. An uncertain value is extrapolated linearly
 * beyond the range; a bad one carries no value.
 */
export function scaleTransmitter(volts: number, scaling: TransmitterScaling): ScaledValue {
  const span = scaling.rangeHigh - scaling.rangeLow;
  if (scaling.signal === "4-20mA") {
    const mA = (volts * scaling.divider * 1000) / scaling.shunt;
    if (mA < NE43.openBelow) return { signal: mA, quality: "bad", reason: "open_loop" };
    if (mA > NE43.shortAbove) return { signal: mA, quality: "bad", reason: "short" };
    const value = scaling.rangeLow + ((mA - 4) / 16) * span;
    if (mA < NE43.underBelow) return { signal: mA, value, quality: "uncertain", reason: "under_range" };
    if (mA > NE43.overAbove) return { signal: mA, value, quality: "uncertain", reason: "over_range" };
    return { signal: mA, value, quality: "good" };
  }
  const terminal = volts * scaling.divider;
  const value = scaling.rangeLow + (terminal / 10) * span;
  if (terminal > VOLTAGE_OVER_ABOVE) return { signal: terminal, value, quality: "uncertain", reason: "over_range" };
  return { signal: terminal, value, quality: "good" };
}
