import type { ChannelConfig } from "../config/node-config.js";
import type { Counters } from "../counters.js";
import type { Logger } from "../log.js";
import type { Platform, TimerHandle } from "../platform.js";
import { SENSOR_TYPES, type Sensor } from "./sensor-registry.js";

/** One measured value, stamped when it was taken. */
export interface Reading {
  channel: string;
  unit: string;
  value: number;
  /** Monotonic ms when sampled. */
  at: number;
}

/** Health of one channel for `status`. */
export interface ChannelState {
  name: string;
  unit: string;
  last?: number;
  faults: number;
  lastFault?: string;
}

/**
 * Runs the sensor channels: opens each sensor once (channels that share a
 * chip share its driver), samples each channel on its own interval, and hands
 * readings on. A faulty sensor is counted and reported; the others go on.
 */
export class Channels {
  #platform: Platform;
  #log: Logger;
  #counters: Counters;
  #sensors = new Map<string, Sensor | undefined>();
  /** The last I/O error each sensor reported during its latest sample. */
  #sensorErrors = new Map<string, string>();
  /** Failed samples in a row per channel; at REOPEN_AFTER its sensor is opened afresh. */
  #failuresInRow = new Map<string, number>();
  #timers: TimerHandle[] = [];
  #states = new Map<string, ChannelState>();
  #configs: ChannelConfig[];

  constructor(platform: Platform, log: Logger, counters: Counters, configs: ChannelConfig[]) {
    this.#platform = platform;
    this.#log = log;
    this.#counters = counters;
    this.#configs = configs;
  }

  /** Starts sampling; each reading goes to `sink`. */
  start(sink: (reading: Reading) => void): void {
    for (const config of this.#configs) {
      this.#states.set(config.name, { name: config.name, unit: config.unit, faults: 0 });
      // Opened now, not at the first sample, so a chip's first conversion is ready by then.
      this.#sensor(config, sensorKey(config));
      const timer = this.#platform.timers.repeat(() => {
        const reading = this.read(config.name);
        if (reading) sink(reading);
      }, config.intervalMs);
      this.#timers.push(timer);
    }
  }

  /** Samples one channel now; `undefined` (and a counted fault) when it fails. */
  read(name: string): Reading | undefined {
    const config = this.#configs.find((c) => c.name === name);
    const state = this.#states.get(name);
    if (!config || !state) return undefined;
    const key = sensorKey(config);
    this.#sensorErrors.delete(key);
    const sensor = this.#sensor(config, key);
    const values = sensor?.sample();
    const value = values?.[config.measure];
    if (value === undefined || !Number.isFinite(value)) {
      this.#fault(state, this.#sensorErrors.get(key) ?? `no ${config.measure} value`);
      this.#failedInRow(config.name, key);
      return undefined;
    }
    this.#failuresInRow.delete(config.name);
    state.last = value;
    this.#counters.add("samples");
    return { channel: config.name, unit: config.unit, value, at: this.#platform.clock.monotonic() };
  }

  /** Channel names with their units, for the birth message and `status`. */
  list(): ChannelState[] {
    return [...this.#states.values()].map((s) => ({ ...s }));
  }

  stop(): void {
    for (const timer of this.#timers) this.#platform.timers.clear(timer);
    this.#timers = [];
    for (const sensor of this.#sensors.values()) sensor?.close();
    this.#sensors.clear();
  }

  #sensor(config: ChannelConfig, key: string): Sensor | undefined {
    if (this.#sensors.has(key)) return this.#sensors.get(key);
    const type = SENSOR_TYPES[config.type];
    let sensor: Sensor | undefined;
    try {
      if (!type) throw new Error(`unknown sensor type "${config.type}"`);
      sensor = type.open(this.#platform.io, config, (message) => this.#sensorErrors.set(key, message));
    } catch (error) {
      this.#sensorErrors.set(key, `open failed: ${(error as Error).message}`);
    }
    // A failed open is retried on the next sample, not cached.
    if (sensor) this.#sensors.set(key, sensor);
    return sensor;
  }

  /**
   * A chip that lost power comes back idle (an SHT3x leaves periodic mode), so
   * after a few failures in a row the sensor is closed and opened again, which
   * re-sends its start-up commands.
   */
  #failedInRow(channel: string, key: string): void {
    const failures = (this.#failuresInRow.get(channel) ?? 0) + 1;
    this.#failuresInRow.set(channel, failures);
    if (failures < REOPEN_AFTER) return;
    this.#failuresInRow.delete(channel);
    const sensor = this.#sensors.get(key);
    this.#sensors.delete(key);
    try {
      sensor?.close();
    } catch {
      // A dead chip may refuse even the close; the bus is released either way.
    }
    this.#counters.add("sensor_reopens");
  }

  #fault(state: ChannelState, message: string): void {
    state.faults++;
    state.lastFault = message;
    this.#counters.add("sensor_faults");
    this.#log.warn("io", `${state.name}: ${message}`);
  }
}

/** Failed samples in a row after which a sensor is re-opened. */
const REOPEN_AFTER = 3;

/** Channels on the same chip (type and bus address or pin) share one sensor. */
function sensorKey(config: ChannelConfig): string {
  return `${config.type}@${config.address ?? config.pin ?? ""}`;
}
