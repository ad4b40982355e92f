/**
 * The scheduler scenario, run on Node (test/io/sample-schedule.test.ts) and
 * inside XS (test/xs/sample-schedule.test.ts): channels on their intervals
 * through `Channels`, on fake time, optionally with a host timer that fires
 * late by a seeded random amount. Nothing of Node here.
 */
import type { ChannelConfig } from "../../modules/config/node-config.js";
import { Counters } from "../../modules/counters.js";
import { Channels } from "../../modules/io/channels.js";
import { defineSensorType } from "../../modules/io/sensor-type.js";
import { Logger } from "../../modules/log.js";
import type { Platform, TimerHandle, Timers } from "../../modules/platform.js";
import { FakeTimers } from "./fake-timers.js";
import { seededRandom } from "./seeded-random.js";

/**
 * Timers of a real host: every firing comes late by up to `maxLateMs`
 * (seeded), and a repeat re-arms from when it actually fired, as a host
 * timer does, so its lateness adds up. `maxLateMs` 0: exact.
 */
export class LateTimers implements Timers {
  #inner: FakeTimers;
  #late: () => number;
  #repeats = new Map<object, TimerHandle>();

  constructor(inner: FakeTimers, maxLateMs: number, seed: number) {
    const random = seededRandom(seed);
    this.#inner = inner;
    this.#late = () => Math.floor(random() * (maxLateMs + 1));
  }

  once(callback: () => void, delayMs: number): TimerHandle {
    return this.#inner.once(callback, delayMs + this.#late());
  }

  repeat(callback: () => void, intervalMs: number): TimerHandle {
    const handle = {};
    const arm = () => this.#repeats.set(handle, this.#inner.once(() => {
      arm();
      callback();
    }, intervalMs + this.#late()));
    arm();
    return handle;
  }

  clear(handle: TimerHandle | undefined): void {
    const inner = this.#repeats.get(handle as object);
    this.#repeats.delete(handle as object);
    this.#inner.clear(inner ?? handle);
  }
}

/** What one channel gave: samples, and each one's distance from its due time boot + k × interval. */
export interface ScheduleStats {
  name: string;
  intervalMs: number;
  samples: number;
  /** Least and most (time the sample was taken − due time), ms. */
  minLateMs: number;
  maxLateMs: number;
  /** Most |stamp − due time|, ms: a scheduled reading is stamped with its due time. */
  maxStampErrorMs: number;
}

const constant = defineSensorType({ name: "constant", help: "test: always 1", quantities: { level: { unit: "m", resolution: 1 } }, fields: {}, chip: [], open: () => ({ sample: () => ({ level: 1 }), close() {} }) });

/**
 * Runs `intervals` (one channel each, ms) for `durationMs` of fake time from
 * boot at 0 (plus `maxLateMs`, so the last due sample has come), every
 * timer late by up to `maxLateMs`; the k-th sample of a channel is matched
 * with due time k × interval. Returns per-channel stats and the
 * `samples_skipped` counter.
 */
export function runSchedule(intervals: readonly number[], durationMs: number, maxLateMs: number, seed: number): { channels: ScheduleStats[]; skipped: number } {
  const fake = new FakeTimers();
  const timers = new LateTimers(fake, maxLateMs, seed);
  const platform = { clock: fake, timers, io: {}, log: () => {} } as unknown as Platform;
  const configs: ChannelConfig[] = intervals.map((intervalMs, i) => ({ name: `c${i}`, type: "constant", measure: "level", intervalMs, unit: "m" }));
  const counters = new Counters();
  const channels = new Channels(platform, new Logger(platform), counters, configs, { types: { constant } });
  const stats = new Map<string, ScheduleStats>(configs.map((c) => [c.name, { name: c.name, intervalMs: c.intervalMs, samples: 0, minLateMs: Number.POSITIVE_INFINITY, maxLateMs: Number.NEGATIVE_INFINITY, maxStampErrorMs: 0 }]));
  channels.start((reading) => {
    const s = stats.get(reading.channel)!;
    s.samples++;
    const late = fake.monotonic() - s.samples * s.intervalMs;
    s.maxStampErrorMs = Math.max(s.maxStampErrorMs, Math.abs(reading.at - s.samples * s.intervalMs));
    if (late < s.minLateMs) s.minLateMs = late;
    if (late > s.maxLateMs) s.maxLateMs = late;
  });
  const end = durationMs + maxLateMs;
  // An hour at a time: FakeTimers bounds the firings of one advance.
  while (fake.monotonic() < end) fake.advance(Math.min(3_600_000, end - fake.monotonic()));
  channels.stop();
  return { channels: [...stats.values()], skipped: counters.get("samples_skipped") };
}
