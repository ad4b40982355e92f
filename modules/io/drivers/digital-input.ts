import type { DigitalIO, DigitalOptions, Storage, TimerHandle, Timers } from "../../platform.js";
import { CounterStore } from "../counter-store.js";
import { bad, type QualifiedValue } from "../quality.js";

export interface DigitalInputSettings {
  /** A change must hold this long (ms) before it counts; default 50. */
  debounceMs: number;
  /** Active low (a contact to GND with the pull-up): the active state reads 0; default false. */
  invert: boolean;
  /** How often the pin is read, ms; default 10. */
  pollMs: number;
}

export interface DigitalInputOptions {
  sensor: { io: new (options: DigitalOptions) => DigitalIO; pin: number; mode?: "input" | "inputPullUp" | "inputPullDown" };
  /** Monotonic ms (the platform clock). */
  now: () => number;
  timers: Timers;
  /** Where the counters survive reboots; none: they start at 0 each boot. */
  storage?: Storage;
  /** Base flash key (at most 13 characters, see `counterKey`); required with `storage`. */
  key?: string;
  /** Least time between two flash writes, ms; default 60,000. */
  persistMs?: number;
  onError?: (message: string) => void;
}

/** A reading: the debounced state (1 active), transitions since installation, running hours. */
export interface DigitalInputSample {
  state: QualifiedValue;
  transitions: QualifiedValue;
  hours: QualifiedValue;
}

const DEFAULTS: DigitalInputSettings = { debounceMs: 50, invert: false, pollMs: 10 };
const MS_PER_HOUR = 3_600_000;

/**
 * A contact or logic input (ECMA-419 Digital): debounced, with a transition
 * count and the time spent active (running hours), both kept in flash
 * across reboots (`CounterStore`: write-new-then-switch, CRC, at most one
 * write per `persistMs`, and one at `close()`; a power loss loses at most
 * that much). The pin is polled every `pollMs` on the platform's timers, so
 * nothing blocks; a change is accepted when it has held `debounceMs`, and
 * the on-time counts from the moment it began. A read that throws makes the
 * state bad (`sensor_fault`) until the pin answers again; the counters stay.
 */
export default class DigitalInput {
  #io: DigitalIO;
  #now: () => number;
  #timers: Timers;
  #onError: (message: string) => void;
  #store: CounterStore | undefined;
  #settings: DigitalInputSettings = { ...DEFAULTS };
  #timer: TimerHandle | undefined;
  #state = 0;
  #candidate = 0;
  #since = 0;
  #lastPoll = 0;
  #transitions = 0;
  #onMs = 0;
  #fault: "sensor_fault" | undefined;

  /** Throws TypeError without a Digital constructor or a key for the storage; whatever the pin throws (then nothing stays open). */
  constructor(options: DigitalInputOptions) {
    const { io, pin, mode = "inputPullUp" } = options.sensor;
    if (typeof io !== "function") throw new TypeError("sensor.io must be a Digital constructor");
    if (options.storage && !options.key) throw new TypeError("key is required with storage");
    this.#now = options.now;
    this.#timers = options.timers;
    this.#onError = options.onError ?? (() => {});
    if (options.storage)
      this.#store = new CounterStore(options.storage, options.key!, { now: options.now, minIntervalMs: options.persistMs, onError: this.#onError });
    const saved = this.#store?.load();
    if (saved && saved.length === 2 && saved.every((v) => Number.isFinite(v) && v >= 0)) [this.#transitions, this.#onMs] = saved;
    this.#io = new io({ pin, mode });
    this.#start();
  }

  /** Overlays `partial`; throws TypeError/RangeError naming the field and value, and then changes nothing. */
  configure(partial: Partial<DigitalInputSettings>): void {
    const next = { ...this.#settings, ...partial };
    if (!Number.isInteger(next.debounceMs) || next.debounceMs < 0 || next.debounceMs > 10_000) throw new RangeError(`debounceMs must be 0..10000, got ${next.debounceMs}`);
    if (!Number.isInteger(next.pollMs) || next.pollMs < 1 || next.pollMs > 1000) throw new RangeError(`pollMs must be 1..1000, got ${next.pollMs}`);
    if (typeof next.invert !== "boolean") throw new TypeError(`invert must be true or false, got ${String(next.invert)}`);
    const restart = next.pollMs !== this.#settings.pollMs || next.invert !== this.#settings.invert;
    this.#settings = next;
    if (restart) {
      this.#timers.clear(this.#timer);
      this.#start();
    }
  }

  sample(): DigitalInputSample {
    this.#poll();
    this.#store?.save([this.#transitions, this.#onMs]);
    return {
      state: this.#fault ? bad(this.#fault) : { value: this.#state, quality: "good" },
      transitions: { value: this.#transitions, quality: "good" },
      hours: { value: this.#onMs / MS_PER_HOUR, quality: "good" },
    };
  }

  /** Stops polling, writes the counters, releases the pin. */
  close(): void {
    this.#timers.clear(this.#timer);
    this.#timer = undefined;
    this.#poll();
    this.#store?.flush([this.#transitions, this.#onMs]);
    this.#io.close();
  }

  #start(): void {
    const level = this.#read();
    this.#state = this.#candidate = level ?? 0;
    this.#since = this.#lastPoll = this.#now();
    this.#timer = this.#timers.repeat(() => this.#poll(), this.#settings.pollMs);
  }

  #poll(): void {
    const now = this.#now();
    if (this.#state) this.#onMs += now - this.#lastPoll;
    this.#lastPoll = now;
    const level = this.#read();
    if (level === undefined) return;
    if (level !== this.#candidate) {
      this.#candidate = level;
      this.#since = now;
    }
    if (this.#candidate !== this.#state && now - this.#since >= this.#settings.debounceMs) {
      this.#state = this.#candidate;
      this.#transitions++;
      // The input really changed at `since`: the on-time counts from then, not from now.
      this.#onMs += this.#state ? now - this.#since : -(now - this.#since);
    }
  }

  /** The pin's level as active (1) or not (0), or `undefined` when the read threw. */
  #read(): number | undefined {
    try {
      const raw = this.#io.read() ? 1 : 0;
      this.#fault = undefined;
      return this.#settings.invert ? 1 - raw : raw;
    } catch (error) {
      if (!this.#fault) this.#onError(`digital: ${(error as Error).message}`);
      this.#fault = "sensor_fault";
      return undefined;
    }
  }
}
