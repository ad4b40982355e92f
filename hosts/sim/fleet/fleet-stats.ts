import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";

/** What the fleet's summary line reports, summed over nodes for one interval. */
export interface FleetTotals {
  nodes: number;
  connected: number;
  /** Counter totals since start; the summary shows their rate over the interval. */
  samples: number;
  published: number;
  acked: number;
}

/**
 * The fleet's summary line: nodes connected, samples/s acquired, packs/s
 * published and acknowledged over the last interval, and the event loop's
 * lag (p99 and max of the delay histogram, ms) — when the lag grows and the
 * sample rate falls behind N × channels × rate, the process no longer keeps
 * its nodes in real time.
 */
export class FleetStats {
  #histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  #last: FleetTotals | undefined;
  #lastAt = performance.now();

  constructor() {
    this.#histogram.enable();
  }

  /** The line for `totals` now, and starts the next interval. */
  line(totals: FleetTotals): string {
    const now = performance.now();
    const seconds = Math.max(0.001, (now - this.#lastAt) / 1000);
    const last = this.#last ?? { nodes: 0, connected: 0, samples: 0, published: 0, acked: 0 };
    const rate = (key: "samples" | "published" | "acked") => ((totals[key] - last[key]) / seconds).toFixed(1);
    const p99 = this.#histogram.percentile(99) / 1e6;
    const max = this.#histogram.max / 1e6;
    this.#histogram.reset();
    this.#last = { ...totals };
    this.#lastAt = now;
    return `fleet: ${totals.connected}/${totals.nodes} connected, ${rate("samples")} samples/s, ${rate("published")} packs/s published, ${rate("acked")} acked, lag p99 ${p99.toFixed(1)} ms max ${max.toFixed(1)} ms`;
  }

  stop(): void {
    this.#histogram.disable();
  }
}
