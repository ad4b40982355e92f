/**
 * A bounded list of observers: readings fan out from the channels to every
 * consumer (telemetry batcher, edge pipeline, alarms, dashboards). An
 * observer that throws is counted and skipped; the others still get the value.
 */
export class Observers<T> {
  #list: ((value: T) => void)[] = [];
  #max: number;
  #onError: (error: unknown) => void;

  /** At most `max` observers (default 8); `onError` gets what an observer threw. */
  constructor(onError: (error: unknown) => void, max = 8) {
    this.#onError = onError;
    this.#max = max;
  }

  /** Adds an observer; returns its unsubscribe function. Throws RangeError past the bound. */
  add(observer: (value: T) => void): () => void {
    if (typeof observer !== "function") throw new TypeError("an observer must be a function");
    if (this.#list.length >= this.#max) throw new RangeError(`at most ${this.#max} observers`);
    this.#list.push(observer);
    return () => {
      this.#list = this.#list.filter((o) => o !== observer);
    };
  }

  /** Hands `value` to every observer, in the order they subscribed. */
  emit(value: T): void {
    for (const observer of this.#list) {
      try {
        observer(value);
      } catch (error) {
        this.#onError(error);
      }
    }
  }

  get size(): number {
    return this.#list.length;
  }
}
