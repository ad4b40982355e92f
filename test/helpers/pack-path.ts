/**
 * The firmware's pack path on a fake clock, for the bench, the compact-pack
 * test and the XS proof (no Node built-ins here): the channel pipeline with
 * `compress(e)` per channel (the chain registry's compress), the Batcher
 * with the PackMaker's size check, the PackMaker's SenML-CBOR.
 */
import { Counters } from "../../modules/counters.js";
import { ChannelPipeline } from "../../modules/edge/channel-pipeline.js";
import type { Reading } from "../../modules/io/channels.js";
import type { Platform } from "../../modules/platform.js";
import { Batcher } from "../../modules/telemetry/batcher.js";
import { PackMaker } from "../../modules/telemetry/pack-maker.js";
import { FakeTimers } from "./fake-timers.js";

/** The bound as a share of each channel's range in its file. */
export const E_SHARE = 0.05;

/** Wall clock of the replays' first sample, with a millisecond fraction as a real boot has (bt then takes a float64). */
export const EPOCH_AT_BOOT = Date.UTC(2026, 0, 1) + 437;
export const NODE_ID = "pump-7";
export const BOOT_ID = "9f3a01c2";
export const TELE_TOPIC = `fieldnode/${NODE_ID}/tele`;

/** How packs close: `telemetry.batch_size`, `telemetry.max_interval` (ms here). */
export interface PackPolicy {
  batchSize: number;
  maxAgeMs: number;
}

/** What the firmware pack path made of a recording. */
export interface FirmwareRun {
  /** Payloads in the order they were made. */
  packs: Uint8Array[];
  /** What the pipeline emitted (the points the packs carry), in order. */
  points: Reading[];
  /** The compress bound e of each channel. */
  bounds: Map<string, number>;
}

/** e per channel: `E_SHARE` of its range in `rows` (1 for a flat channel). */
export function boundsOf(rows: readonly Reading[][]): Map<string, number> {
  const bounds = new Map<string, number>();
  const channels = rows[0]?.map((r) => r.channel) ?? [];
  channels.forEach((channel, i) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const row of rows) {
      const v = row[i].value ?? NaN;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    bounds.set(channel, E_SHARE * (hi - lo || 1));
  });
  return bounds;
}

/**
 * Replays `rows` (one array of readings per sampling instant) through the
 * firmware: `compress(e)` per channel (`bounds`), Batcher and PackMaker at
 * `policy`, on a fake clock whose monotonic time is the readings' `at`. The
 * pipeline's last points are flushed at the end, as a clean stop does.
 */
export function firmwareRun(rows: readonly Reading[][], policy: PackPolicy, bounds = boundsOf(rows), maxPacketBytes?: number): FirmwareRun {
  const path = new PackPath(policy, bounds, maxPacketBytes);
  path.feed(rows);
  return path.finish();
}

/** `firmwareRun` in steps: `feed` rows as often as needed, then `finish` (flushes and returns everything). */
export class PackPath {
  readonly packs: Uint8Array[] = [];
  readonly points: Reading[] = [];
  readonly bounds: Map<string, number>;
  #timers = new FakeTimers();
  #pipeline: ChannelPipeline<Reading>;
  #batcher: Batcher;
  #sink = (reading: Reading) => {
    this.points.push(reading);
    this.#batcher.add(reading);
  };

  constructor(policy: PackPolicy, bounds: Map<string, number>, maxPacketBytes?: number) {
    this.bounds = bounds;
    const platform = { timers: this.#timers, clock: this.#timers } as unknown as Platform;
    this.#pipeline = new ChannelPipeline<Reading>(new Map([...bounds].map(([channel, e]) => [channel, `compress(${e})`])));
    const maker = new PackMaker({ nodeId: NODE_ID, bootId: BOOT_ID, teleTopic: TELE_TOPIC, maxPacketBytes, epochAtBoot: () => EPOCH_AT_BOOT }, new Counters());
    this.#batcher = new Batcher(platform, { ...policy, fits: (rows) => maker.fits(rows) }, (rows) => this.packs.push(maker.make(rows)));
  }

  /** Replays rows, the fake clock following their time. */
  feed(rows: readonly Reading[][]): void {
    for (const row of rows) {
      if (row[0].at > this.#timers.monotonic()) this.#timers.advance(row[0].at - this.#timers.monotonic());
      for (const reading of row) this.#pipeline.push(reading, this.#sink);
    }
  }

  /** The clean stop: the pipeline's last points, then what waits in the batcher. */
  finish(): FirmwareRun {
    this.#pipeline.flush(this.#sink);
    this.#batcher.flush();
    return { packs: this.packs, points: this.points, bounds: this.bounds };
  }
}

