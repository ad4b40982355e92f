import type { DigitalIO, DigitalOptions, PulseCountIO, PulseCountOptions, Storage, TimerHandle, Timers } from "../../platform.js";
import { CounterStore } from "../counter-store.js";
import { bad, type QualifiedValue } from "../quality.js";

export interface PulseCounterSettings {
  /** Pulses per engineering unit (e.g. 100 pulses per m3, 1000 per kWh); default 1. */
  pulsesPerUnit: number;
  /** The rate is measured over this window, ms; default 10,000. */
  windowMs: number;
  /** How often the counter (or, without PulseCount, the pin) is read, ms; default 1,000 with PulseCount, 5 without. */
  pollMs: number;
  /** Without PulseCount: a level must hold this long (ms) to count; default 0. */
  debounceMs: number;
}

export interface PulseCounterOptions {
  sensor: {
    /** ECMA-419 PulseCount (the ESP32's PCNT); without it the driver counts edges on `digital`. */
    io?: new (options: PulseCountOptions) => PulseCountIO;
    digital?: new (options: DigitalOptions) => DigitalIO;
    signal: number;
    mode?: "input" | "inputPullUp" | "inputPullDown";
  };
  now: () => number;
  timers: Timers;
  storage?: Storage;
  /** Base flash key (at most 13 characters); required with `storage`. */
  key?: string;
  /** Least time between two flash writes, ms; default 60,000. */
  persistMs?: number;
  onError?: (message: string) => void;
}

/** A reading: pulses since installation, pulses per second, the totaliser and the flow in units. */
export interface PulseCounterSample {
  count: QualifiedValue;
  rate: QualifiedValue;
  total: QualifiedValue;
  flow: QualifiedValue;
}

/** Checkpoints kept for the rate: one per window/8, so the rate spans one window to 9/8 of one. */
const CHECKPOINTS = 9;
const MODULO = 0x10000;

/**
 * A pulse counter for flow and energy meters. With ECMA-419 PulseCount it
 * reads the hardware counter every `pollMs` and adds the difference modulo
 * 2^16, so the ESP32 PCNT's 16-bit signed counter may wrap (32767 to -32768)
 * any number of times, as long as fewer than 65,536 pulses arrive between two
 * reads. Without PulseCount it polls a Digital input and counts rising
 * edges (debounced by `debounceMs`), for slow meters (reed contacts).
 *
 * The count since installation lives in flash (`CounterStore`: power-safe,
 * at most one write per `persistMs`, one at `close()`), so the totaliser
 * (`count / pulsesPerUnit`) survives reboots; a power loss loses at most the
 * pulses of `persistMs`. The rate is pulses per second over `windowMs`; bad
 * `not_ready` until two polls have passed. A read that throws makes every
 * value bad `sensor_fault` until the counter answers again; no pulse is lost
 * if the hardware kept counting.
 */
export default class PulseCounter {
  #counter: PulseCountIO | undefined;
  #pin: DigitalIO | undefined;
  #now: () => number;
  #timers: Timers;
  #onError: (message: string) => void;
  #store: CounterStore | undefined;
  #settings: PulseCounterSettings;
  #timer: TimerHandle | undefined;
  #count = 0;
  /** Last hardware count read, or `undefined` until the first good read (which sets it without counting). */
  #raw: number | undefined;
  #level = 0;
  #candidate = 0;
  #since = 0;
  #times = new Float64Array(CHECKPOINTS);
  #counts = new Float64Array(CHECKPOINTS);
  #filled = 0;
  #newest = 0;
  #fault: "sensor_fault" | undefined;

  /** Throws TypeError without a PulseCount or Digital constructor, or without a key for the storage. */
  constructor(options: PulseCounterOptions) {
    const { io, digital, signal, mode = "inputPullUp" } = options.sensor;
    if (typeof io !== "function" && typeof digital !== "function") throw new TypeError("sensor.io (PulseCount) or sensor.digital (Digital) is required");
    if (options.storage && !options.key) throw new TypeError("key is required with storage");
    this.#now = options.now;
    this.#timers = options.timers;
    this.#onError = options.onError ?? (() => {});
    this.#settings = { pulsesPerUnit: 1, windowMs: 10_000, pollMs: io ? 1000 : 5, debounceMs: 0 };
    if (options.storage)
      this.#store = new CounterStore(options.storage, options.key!, { now: options.now, minIntervalMs: options.persistMs, onError: this.#onError });
    const saved = this.#store?.load();
    if (saved && saved.length === 1 && Number.isFinite(saved[0]) && saved[0] >= 0) this.#count = saved[0];
    if (io) {
      this.#counter = new io({ signal });
      this.#raw = this.#readCounter();
    } else {
      this.#pin = new digital!({ pin: signal, mode });
      this.#level = this.#candidate = this.#readPin() ?? 0;
    }
    this.#since = this.#now();
    this.#checkpoint(this.#now());
    this.#timer = this.#timers.repeat(() => this.#poll(), this.#settings.pollMs);
  }

  /** Overlays `partial`; throws RangeError naming the field and value, and then changes nothing. */
  configure(partial: Partial<PulseCounterSettings>): void {
    const next = { ...this.#settings, ...partial };
    if (!(typeof next.pulsesPerUnit === "number" && next.pulsesPerUnit > 0 && Number.isFinite(next.pulsesPerUnit))) throw new RangeError(`pulsesPerUnit must be above 0, got ${next.pulsesPerUnit}`);
    if (!Number.isInteger(next.windowMs) || next.windowMs < 1000 || next.windowMs > 3_600_000) throw new RangeError(`windowMs must be 1000..3600000, got ${next.windowMs}`);
    if (!Number.isInteger(next.pollMs) || next.pollMs < 1 || next.pollMs > 60_000) throw new RangeError(`pollMs must be 1..60000, got ${next.pollMs}`);
    if (!Number.isInteger(next.debounceMs) || next.debounceMs < 0 || next.debounceMs > 1000) throw new RangeError(`debounceMs must be 0..1000, got ${next.debounceMs}`);
    const restart = next.pollMs !== this.#settings.pollMs;
    this.#settings = next;
    if (restart) {
      this.#timers.clear(this.#timer);
      this.#timer = this.#timers.repeat(() => this.#poll(), next.pollMs);
    }
  }

  sample(): PulseCounterSample {
    this.#poll();
    this.#store?.save([this.#count]);
    if (this.#fault) {
      const fault = bad(this.#fault);
      return { count: fault, rate: fault, total: fault, flow: fault };
    }
    const ppu = this.#settings.pulsesPerUnit;
    const rate = this.#rate();
    return {
      count: { value: this.#count, quality: "good" },
      rate,
      total: { value: this.#count / ppu, quality: "good" },
      flow: rate.quality === "good" ? { value: rate.value! / ppu, quality: "good" } : rate,
    };
  }

  /** Stops polling, writes the count, releases the counter or pin. */
  close(): void {
    this.#timers.clear(this.#timer);
    this.#timer = undefined;
    this.#poll();
    this.#store?.flush([this.#count]);
    (this.#counter ?? this.#pin)!.close();
  }

  #poll(): void {
    const now = this.#now();
    if (this.#counter) {
      const raw = this.#readCounter();
      if (raw === undefined) return;
      // Modulo 2^16: a wrap of the PCNT's int16 counter is one step, not a jump of -65,535.
      if (this.#raw !== undefined) this.#count += (((raw - this.#raw) % MODULO) + MODULO) % MODULO;
      this.#raw = raw;
    } else {
      const level = this.#readPin();
      if (level === undefined) return;
      if (level !== this.#candidate) {
        this.#candidate = level;
        this.#since = now;
      }
      if (this.#candidate !== this.#level && now - this.#since >= this.#settings.debounceMs) {
        this.#level = this.#candidate;
        if (this.#level) this.#count++;
      }
    }
    if (now - this.#times[this.#newest] >= this.#settings.windowMs / (CHECKPOINTS - 1)) this.#checkpoint(now);
  }

  #checkpoint(now: number): void {
    this.#newest = (this.#newest + 1) % CHECKPOINTS;
    this.#times[this.#newest] = now;
    this.#counts[this.#newest] = this.#count;
    this.#filled = Math.min(CHECKPOINTS, this.#filled + 1);
  }

  #rate(): QualifiedValue {
    const now = this.#now();
    const oldest = (this.#newest - this.#filled + 1 + CHECKPOINTS) % CHECKPOINTS;
    const span = now - this.#times[oldest];
    if (span <= 0) return bad("not_ready");
    return { value: ((this.#count - this.#counts[oldest]) * 1000) / span, quality: "good" };
  }

  #readCounter(): number | undefined {
    try {
      const raw = this.#counter!.read();
      if (!Number.isInteger(raw)) throw new Error(`counter read ${raw}`);
      this.#fault = undefined;
      return raw;
    } catch (error) {
      this.#failed(error);
      return undefined;
    }
  }

  #readPin(): number | undefined {
    try {
      const level = this.#pin!.read() ? 1 : 0;
      this.#fault = undefined;
      return level;
    } catch (error) {
      this.#failed(error);
      return undefined;
    }
  }

  #failed(error: unknown): void {
    if (!this.#fault) this.#onError(`pulse: ${(error as Error).message}`);
    this.#fault = "sensor_fault";
  }
}
