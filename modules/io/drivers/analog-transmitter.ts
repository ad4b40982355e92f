import type { AnalogIO, AnalogOptions } from "../../platform.js";
import type { QualifiedValue } from "../quality.js";
import { checkScaling, scaleTransmitter, SCALING_DEFAULTS, type ScaledValue, type TransmitterScaling } from "./transmitter-scaling.js";

/** Options of `configure()`: the scaling plus the ADC's reference. */
export interface AnalogTransmitterSettings extends TransmitterScaling {
  /** Volts at the ADC's full-scale count; default 3.3 (ESP32, 11 dB attenuation). */
  vref: number;
  /** Conversions averaged per sample (1..16); default 4. */
  oversample: number;
}

export interface AnalogTransmitterOptions {
  sensor: { io: new (options: AnalogOptions) => AnalogIO; pin: number; resolution?: number };
  onError?: (message: string) => void;
}

const DEFAULTS: AnalogTransmitterSettings = { ...SCALING_DEFAULTS, vref: 3.3, oversample: 4 };

/**
 * A 4-20 mA or 0-10 V transmitter on an ADC pin (ECMA-419 Analog, section
 * 9.2). `sample()` averages `oversample` conversions (each returns at once,
 * nothing waits), converts counts to volts with `vref`, and scales and grades
 * the value by NAMUR NE 43 (see `scaleTransmitter`). A count at the top of
 * the ADC's range is clipped, so its true value is unknown: bad, over_range.
 * An ADC that throws gives bad, sensor_fault and goes to `onError`.
 */
export default class AnalogTransmitter {
  #io: AnalogIO;
  #onError: (message: string) => void;
  #settings: AnalogTransmitterSettings = { ...DEFAULTS };

  /** Throws TypeError without an Analog constructor; whatever it throws for the pin. */
  constructor(options: AnalogTransmitterOptions) {
    const { io, ...pin } = options.sensor;
    if (typeof io !== "function") throw new TypeError("sensor.io must be an Analog constructor");
    this.#io = new io(pin);
    this.#onError = options.onError ?? (() => {});
  }

  /** Overlays `partial` on the current settings; throws TypeError/RangeError naming the field, and then changes nothing. */
  configure(partial: Partial<AnalogTransmitterSettings>): void {
    const scaling = checkScaling(partial, this.#settings);
    const vref = partial.vref ?? this.#settings.vref;
    const oversample = partial.oversample ?? this.#settings.oversample;
    if (!(vref > 0 && vref <= 10)) throw new RangeError(`vref must be above 0 and at most 10 V, got ${vref}`);
    if (!Number.isInteger(oversample) || oversample < 1 || oversample > 16) throw new RangeError(`oversample must be 1..16, got ${oversample}`);
    this.#settings = { ...scaling, vref, oversample };
  }

  /** The scaled value with its quality and the loop current (mA) or terminal voltage. */
  sample(): ScaledValue | QualifiedValue {
    const max = 2 ** this.#io.resolution - 1;
    let sum = 0;
    try {
      for (let i = 0; i < this.#settings.oversample; i++) {
        const count = this.#io.read();
        if (count >= max) return { quality: "bad", reason: "over_range" };
        sum += count;
      }
    } catch (error) {
      this.#onError(`adc: ${(error as Error).message}`);
      return { quality: "bad", reason: "sensor_fault" };
    }
    const volts = (sum / this.#settings.oversample / max) * this.#settings.vref;
    return scaleTransmitter(volts, this.#settings);
  }

  close(): void {
    this.#io.close();
  }
}
