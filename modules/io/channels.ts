import type { ChannelConfig } from "../config/node-config.js";
import type { Counters } from "../counters.js";
import type { Logger } from "../log.js";
import { Backoff, checkBackoffOptions } from "../mqtt/backoff.js";
import type { Platform, TimerHandle } from "../platform.js";
import { ComputedChannel } from "./computed-channel.js";
import { Observers } from "./observers.js";
import { SampleSchedule } from "./sample-schedule.js";
import { QUALITY_REASONS, reasonOfError, type Quality, type QualityReason } from "./quality.js";
import { badReading, qualityText, type QualityChange, type Reading } from "./reading.js";
import { SENSOR_TYPES } from "./sensor-registry.js";
import type { Measurement, OpenContext, Sensor, SensorType } from "./sensor-type.js";

export type { QualityChange, Reading } from "./reading.js";

/** Health of one channel for `status`. */
export interface ChannelState {
  name: string;
  unit: string;
  /** Last good or uncertain value. */
  last?: number;
  /** Quality of the latest reading (undefined before the first). */
  quality?: Quality;
  reason?: QualityReason;
  /** Bad readings so far (not counting `not_ready`). */
  faults: number;
  lastFault?: string;
}

/** Tunables of `Channels`; defaults in brackets. */
export interface ChannelsOptions {
  /** The sensor types [SENSOR_TYPES]; tests add their own. */
  types?: Readonly<Record<string, SensorType>>;
  /** Delay before a failed sensor is opened again: base [1 s], doubling to cap [60 s]. */
  backoff?: { baseMs?: number; capMs?: number };
}

/** Samples in a row in which a chip did not answer, after which it is closed and re-opened with backoff. */
export const REOPEN_AFTER = 3;

/** The re-open delay's random factor: none (a sensor's back-off needs no jitter). One function for every sensor. */
const NO_JITTER = () => 1;

/**
 * One open (or failed) sensor, shared by the channels on its chip. It is
 * also the context its sensor is opened with (getters and a method, so no
 * context object and error closure per sensor: the ESP32's XS heap is a
 * fixed number of slots, ~11 a closure).
 */
class Slot implements OpenContext {
  readonly type: SensorType | undefined;
  readonly config: ChannelConfig;
  sensor: Sensor | undefined;
  /** The last fault the driver reported (or the open failure). */
  fault: { message: string; reason: QualityReason } | undefined;
  /** Samples in a row without an answer. */
  silent = 0;
  /** Monotonic ms before which no open is tried. */
  retryAt = 0;
  /** Made at the first failure (most sensors never fail). */
  backoff: Backoff | undefined;
  readonly #platform: Platform;

  constructor(platform: Platform, type: SensorType | undefined, config: ChannelConfig) {
    this.#platform = platform;
    this.type = type;
    this.config = config;
  }

  get io() {
    return this.#platform.io;
  }

  get timers() {
    return this.#platform.timers;
  }

  get clock() {
    return this.#platform.clock;
  }

  get storage() {
    return this.#platform.storage;
  }

  /** The driver's fault: kept (escaped) for the next reading's reason and the state's last fault. */
  onError(message: string, reason?: QualityReason): void {
    this.fault = { message: printable(message), reason: reason && QUALITY_REASONS.includes(reason) ? reason : "sensor_fault" };
  }
}

/** What every Sampler of one Channels shares: one object, not closures per channel. */
interface SamplerHub {
  readonly platform: Platform;
  readonly counters: Counters;
  /** Samples channel `name` (stamped `due`, default now) and fans the reading out. */
  sample(name: string, due?: number): void;
}

/**
 * Samples one channel on its interval, at start + k × interval without drift
 * (SampleSchedule; due times missed by a late timer are skipped and counted
 * in `samples_skipped`); while its sensor paces itself (`Sensor.nextSampleIn`,
 * a replay), when its next value is due instead, and no more after the last.
 * A subclass with methods, not closures: ~40 slots a channel less on the ESP32.
 */
class Sampler extends SampleSchedule {
  readonly #name: string;
  readonly #slot: Slot;
  readonly #hub: SamplerHub;
  #paced: TimerHandle | undefined;

  constructor(hub: SamplerHub, config: ChannelConfig, slot: Slot) {
    super(hub.platform.timers, hub.platform.clock, config.intervalMs);
    this.#name = config.name;
    this.#slot = slot;
    this.#hub = hub;
  }

  protected override due(dueMs: number): void {
    this.#tick(dueMs);
  }

  protected override skip(count: number): void {
    this.#hub.counters.add("samples_skipped", count);
  }

  /** Stops the schedule and a paced sample. */
  halt(): void {
    this.stop();
    this.#hub.platform.timers.clear(this.#paced);
  }

  // A scheduled sample is stamped with its due time (drift-free: start + k × interval, so a
  // pack's relative times are whole intervals); a paced one (a replay) when it is read.
  #tick(due?: number): void {
    this.#paced = undefined;
    this.#hub.sample(this.#name, due);
    const next = this.#slot.sensor?.nextSampleIn?.();
    if (next === undefined) {
      if (!this.running) this.start();
      return;
    }
    this.stop();
    if (next === "end") return;
    this.#paced = this.#hub.platform.timers.once(() => this.#tick(), Math.max(0, next));
  }
}

/**
 * Runs the sensor channels: opens each sensor once (channels that share a
 * chip share its driver), samples each channel on its own interval, and
 * hands every reading, with its quality, to every subscriber (except
 * `not_ready` ones: a sensor just opened has nothing to tell yet). A failing
 * sensor never throws into the loop and never stops the others: it gives bad
 * readings with a reason, is closed after REOPEN_AFTER silent samples and
 * re-opened after a delay that doubles up to a cap (counted in
 * `sensor_open_failures`, `sensor_reopens`). Computed channels are evaluated
 * whenever one of their inputs gives a reading.
 */
export class Channels {
  #platform: Platform;
  #log: Logger;
  #counters: Counters;
  #types: Readonly<Record<string, SensorType>>;
  #backoff: { baseMs?: number; capMs?: number };
  #configs: ChannelConfig[];
  #slots = new Map<string, Slot>();
  #samplers: Sampler[] = [];
  #hub: SamplerHub;
  #states = new Map<string, ChannelState>();
  /** The latest reading of each input of a computed channel (only those: a Reading a channel is slots on the ESP32). */
  #latest = new Map<string, Reading>();
  #computed = new Map<string, ComputedChannel>();
  /** Computed channels waiting for their evaluation turn (updates of one instant coalesce). */
  #dirty = new Set<string>();
  #dirtyTimer: TimerHandle | undefined;
  #readings: Observers<Reading>;
  #qualityChanges: Observers<QualityChange>;

  constructor(platform: Platform, log: Logger, counters: Counters, configs: ChannelConfig[], options: ChannelsOptions = {}) {
    this.#platform = platform;
    this.#log = log;
    this.#counters = counters;
    this.#configs = configs;
    this.#types = options.types ?? SENSOR_TYPES;
    this.#backoff = options.backoff ?? {};
    const onObserverError = (error: unknown) => {
      counters.add("observer_errors");
      log.error("io", `an observer threw: ${(error as Error)?.message ?? String(error)}`);
    };
    this.#readings = new Observers(onObserverError);
    this.#qualityChanges = new Observers(onObserverError);
    this.#hub = { platform, counters, sample: (name, due) => this.#publish(this.read(name, due)) };
    for (const config of configs) {
      this.#states.set(config.name, { name: config.name, unit: config.unit, faults: 0 });
      if (this.#types[config.type]?.computed) this.#computed.set(config.name, new ComputedChannel(config));
    }
  }

  /** Adds a consumer of every reading (at most 8); returns its unsubscribe function. */
  subscribe(observer: (reading: Reading) => void): () => void {
    return this.#readings.add(observer);
  }

  /** Adds a consumer of quality changes (at most 8); returns its unsubscribe function. */
  watchQuality(observer: (change: QualityChange) => void): () => void {
    return this.#qualityChanges.add(observer);
  }

  /** Opens the sensors and starts sampling; `sink`, when given, is subscribed first. */
  start(sink?: (reading: Reading) => void): void {
    if (sink) this.subscribe(sink);
    for (const config of this.#configs) {
      if (this.#computed.has(config.name)) continue;
      // Opened now, not at the first sample, so a chip's first conversion is ready by then.
      const slot = this.#slot(config);
      if (!slot.sensor) this.#open(slot);
      const sampler = new Sampler(this.#hub, config, slot);
      this.#samplers.push(sampler);
      sampler.start();
    }
  }

  /**
   * Samples one channel now (a computed one: from its inputs' latest
   * readings), stamped `at` (default: now; the schedule passes the due time
   * it stands for); undefined for an unknown channel.
   */
  read(name: string, at?: number): Reading | undefined {
    const config = this.#configs.find((c) => c.name === name);
    const state = this.#states.get(name);
    if (!config || !state) return undefined;
    const now = at ?? this.#platform.clock.monotonic();
    const computed = this.#computed.get(name);
    const reading = computed
      ? computed.compute((input) => this.#latest.get(input), (input) => this.#configs.find((c) => c.name === input)?.intervalMs ?? 1000, now)
      : this.#sample(config, now);
    this.#note(state, reading, computed ? undefined : this.#slot(config).fault?.message);
    return reading;
  }

  /** Channel names with their units, last values and qualities, for the birth message and `status`. */
  list(): ChannelState[] {
    return [...this.#states.values()].map((s) => ({ ...s }));
  }

  /** Stops sampling and closes every sensor once. */
  stop(): void {
    for (const sampler of this.#samplers) sampler.halt();
    this.#samplers = [];
    this.#platform.timers.clear(this.#dirtyTimer);
    this.#dirtyTimer = undefined;
    for (const slot of this.#slots.values()) this.#close(slot);
    this.#slots.clear();
  }

  #slot(config: ChannelConfig): Slot {
    const type = this.#types[config.type];
    const key = `${config.type}@${(type?.chip ?? ["address", "pin"]).map((f) => String(config.fields?.[f] ?? (config as unknown as Record<string, unknown>)[f] ?? "")).join(",")}`;
    let slot = this.#slots.get(key);
    if (!slot) {
      // The back-off options are checked with the first sensor, as when each slot made its Backoff at once.
      if (this.#slots.size === 0) checkBackoffOptions(this.#backoff);
      slot = new Slot(this.#platform, type, config);
      this.#slots.set(key, slot);
    }
    return slot;
  }

  #open(slot: Slot): void {
    const type = slot.type;
    slot.fault = undefined;
    try {
      if (!type) throw new Error(`unknown sensor type "${slot.config.type}"`);
      this.#counters.add("sensor_opens");
      slot.sensor = type.open(slot);
    } catch (error) {
      slot.fault = { message: `open failed: ${printable((error as Error)?.message ?? error)}`, reason: reasonOfError(error) };
      this.#counters.add("sensor_open_failures");
      this.#retryLater(slot);
    }
  }

  #close(slot: Slot): void {
    const sensor = slot.sensor;
    slot.sensor = undefined;
    try {
      sensor?.close();
    } catch {
      // A dead chip may refuse even the close; the driver releases the bus either way.
    }
  }

  #retryLater(slot: Slot): void {
    slot.backoff ??= new Backoff(NO_JITTER, this.#backoff);
    slot.retryAt = this.#platform.clock.monotonic() + slot.backoff.next();
  }

  #sample(config: ChannelConfig, now: number): Reading {
    const slot = this.#slot(config);
    if (!slot.sensor) {
      if (now < slot.retryAt) return badReading(config.name, config.unit, slot.fault?.reason ?? "not_ready", now);
      this.#open(slot);
      if (!slot.sensor) return badReading(config.name, config.unit, slot.fault?.reason ?? "sensor_fault", now);
      this.#counters.add("sensor_reopens");
    }
    slot.fault = undefined;
    let values: Readonly<Record<string, number | Measurement>> | undefined;
    try {
      values = slot.sensor.sample();
    } catch (error) {
      slot.fault = { message: `sample threw: ${printable((error as Error)?.message ?? error)}`, reason: reasonOfError(error) };
    }
    if (values === undefined) {
      if (slot.fault?.reason !== "not_ready" && ++slot.silent >= REOPEN_AFTER) {
        slot.silent = 0;
        this.#close(slot);
        this.#retryLater(slot);
      }
      return badReading(config.name, config.unit, slot.fault?.reason ?? "sensor_fault", now);
    }
    slot.silent = 0;
    slot.backoff?.reset();
    return this.#measured(config, values[config.measure], slot.fault?.reason, now);
  }

  /** A driver's number or Measurement as a Reading, scaled; anything else is bad. */
  #measured(config: ChannelConfig, m: number | Measurement | undefined, faultReason: QualityReason | undefined, now: number): Reading {
    const { name, unit } = config;
    const scale = (v: number) => v * (config.scale ?? 1) + (config.offset ?? 0);
    if (typeof m === "number") return Number.isFinite(m) ? { channel: name, unit, at: now, quality: "good", value: scale(m) } : badReading(name, unit, "sensor_fault", now);
    if (m === undefined || m === null || typeof m !== "object") return badReading(name, unit, faultReason ?? "sensor_fault", now);
    const reason: QualityReason = m.reason && (QUALITY_REASONS as readonly string[]).includes(m.reason) ? (m.reason as QualityReason) : "sensor_fault";
    if (m.quality === "bad" || typeof m.value !== "number" || !Number.isFinite(m.value)) return badReading(name, unit, reason, now);
    if (m.quality === "uncertain") return { channel: name, unit, at: now, quality: "uncertain", reason, value: scale(m.value) };
    return { channel: name, unit, at: now, quality: "good", value: scale(m.value) };
  }

  /** Keeps the state and announces a quality change. */
  #note(state: ChannelState, reading: Reading, message: string | undefined): void {
    // A sensor just (re)opened has no conversion yet: that is no change of the channel's quality.
    if (reading.reason === "not_ready" && state.quality !== undefined) return;
    const from = state.quality;
    const fromReason = state.reason;
    state.quality = reading.quality;
    state.reason = reading.reason;
    if (reading.quality !== "bad") {
      state.last = reading.value;
      this.#counters.add("samples");
    } else if (reading.reason !== "not_ready") {
      state.faults++;
      state.lastFault = message ?? reading.reason;
      this.#counters.add("sensor_faults");
    }
    if (from === reading.quality && fromReason === reading.reason) return;
    if (from === undefined && reading.quality === "good") return;
    if (from === undefined && reading.reason === "not_ready") return;
    const change: QualityChange = { channel: state.name, from, to: reading.quality, reason: reading.reason, message, at: reading.at };
    this.#log[reading.quality === "good" ? "info" : "warn"]("io", `${state.name}: quality ${from ?? "-"} -> ${qualityText(reading)}${message ? ` (${message})` : ""}`);
    this.#qualityChanges.emit(change);
  }

  /** Fans a reading out, keeps it for computed channels, and schedules the computed channels that read it. */
  #publish(reading: Reading | undefined): void {
    // "No conversion yet" (a sensor just opened, a computed channel's input never read) is no value: nothing to tell.
    if (!reading || reading.reason === "not_ready") return;
    let input = false;
    for (const computed of this.#computed.values()) if (computed.inputs.includes(reading.channel)) input = true;
    if (input) this.#latest.set(reading.channel, reading);
    this.#readings.emit(reading);
    if (input) for (const computed of this.#computed.values()) if (computed.inputs.includes(reading.channel)) this.#dirty.add(computed.name);
    if (this.#dirty.size > 0 && this.#dirtyTimer === undefined) this.#dirtyTimer = this.#platform.timers.once(() => this.#evaluate(), 0);
  }

  #evaluate(): void {
    this.#dirtyTimer = undefined;
    const names = [...this.#dirty];
    this.#dirty.clear();
    for (const name of names) this.#publish(this.read(name));
  }
}

/** A driver's message as one short log-safe line: control characters become spaces, at most 80 characters. */
function printable(message: unknown): string {
  let text = "";
  for (const c of String(message).slice(0, 80)) text += c < " " || c === "\x7f" ? " " : c;
  return text;
}
