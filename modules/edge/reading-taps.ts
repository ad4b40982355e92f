import type { Reading } from "../io/reading.js";
import { Observers } from "../io/observers.js";

/** Where a reading was seen: from the channels, entering the last compress stage, leaving for the batcher. */
export type Tap = "raw" | "filtered" | "reported";

/** One reading at one tap, with its time as a telemetry pack stamps it. */
export interface TappedReading {
  tap: Tap;
  reading: Reading;
  /** Seconds: epoch (`(epochAtBoot + at) / 1000`, as packs stamp readings), or since boot while the clock is not synchronised. */
  time: number;
}

/** Observers of the taps at once (the simulator's dashboard needs one). */
export const TAP_OBSERVERS_MAX = 4;

/**
 * The node's readings at three taps of the data flow (design.md: readings
 * fan out to observers such as the dashboard): `raw` as the channels give
 * them, `filtered` as they enter a channel's last compress stage (what its
 * bound e is about; channels without compress have none), `reported` as
 * they leave the edge pipeline for the batcher. Without observers a tap
 * costs one check. An observer that throws is counted (`onError`) and the
 * others still get the reading.
 */
export class ReadingTaps {
  #observers: Observers<TappedReading>;
  #epochAtBoot: () => number | undefined;

  /** `epochAtBoot`: epoch ms at monotonic 0, undefined while the clock is not synchronised. */
  constructor(epochAtBoot: () => number | undefined, onError: (error: unknown) => void) {
    this.#epochAtBoot = epochAtBoot;
    this.#observers = new Observers(onError, TAP_OBSERVERS_MAX);
  }

  /** Adds an observer; returns its unsubscribe function. Throws RangeError beyond TAP_OBSERVERS_MAX, TypeError for a non-function. */
  observe(observer: (tapped: TappedReading) => void): () => void {
    return this.#observers.add(observer);
  }

  /** Hands `reading` at `tap` to every observer. */
  emit(tap: Tap, reading: Reading): void {
    if (this.#observers.size === 0) return;
    const epoch = this.#epochAtBoot();
    this.#observers.emit({ tap, reading, time: ((epoch ?? 0) + reading.at) / 1000 });
  }
}
