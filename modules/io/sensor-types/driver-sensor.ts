import type { Measurement, Sensor } from "../sensor-type.js";

/** What a sensor type's driver gives: its sample and its close. */
export interface SampledDriver<S> {
  sample(): S;
  close(): void;
}

/** A driver's sample as the sensor type's values (undefined: no answer), given the sensor's `arg`. */
export type SampleMap<S, A> = (sample: S, arg: A) => Readonly<Record<string, number | Measurement>> | undefined;

/**
 * An open sensor whose values are its driver's sample mapped by `map`, and
 * whose close is the driver's. `map` is a module-level function shared by
 * every sensor of the type, `arg` this sensor's own data (e.g. its scaling).
 * An object with methods rather than `sample`/`close` closures per sensor:
 * each closure costs ~11 slots of the ESP32's fixed XS heap (4,928 slots,
 * 8 channels on a board).
 */
export class DriverSensor<S, A = undefined> implements Sensor {
  #driver: SampledDriver<S>;
  #map: SampleMap<S, A>;
  #arg: A;

  constructor(driver: SampledDriver<S>, map: SampleMap<S, A>, arg: A) {
    this.#driver = driver;
    this.#map = map;
    this.#arg = arg;
  }

  sample(): Readonly<Record<string, number | Measurement>> | undefined {
    return this.#map(this.#driver.sample(), this.#arg);
  }

  close(): void {
    this.#driver.close();
  }
}
