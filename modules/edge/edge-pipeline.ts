import type { ChannelConfig } from "../config/node-config.js";
import type { Reading } from "../io/channels.js";
import type { Counters } from "../counters.js";
import type { Logger } from "../log.js";
import { ChannelPipeline } from "./channel-pipeline.js";

/** What the node uses of its pipeline. */
export interface EdgePipeline {
  push(reading: Reading, sink: (reading: Reading) => void): void;
  flush(sink: (reading: Reading) => void): void;
}

/**
 * The node's pipeline from its channel configs (`filter`, validated at
 * set/save/load). Counts `edge_errors` (a filter that threw: a defect) and
 * `edge_dropped` (readings not later than the previous one of their
 * channel). Never throws: a channel whose chain cannot be built (a config
 * that bypassed validation) is logged and sends every reading.
 * `onCompressInput` sees each reading that enters a channel's last compress
 * stage (the filtered series the dashboard plots).
 */
export function edgePipeline(channels: readonly ChannelConfig[], log: Logger, counters: Counters, onCompressInput?: (reading: Reading) => void): EdgePipeline {
  const texts = new Map<string, string>();
  for (const channel of channels) {
    if (!channel.filter) continue;
    try {
      new ChannelPipeline(new Map([[channel.name, channel.filter]]));
      texts.set(channel.name, channel.filter);
    } catch (error) {
      log.error("edge", `${(error as Error).message}; ${channel.name} sends every reading`);
    }
  }
  const pipeline = new ChannelPipeline<Reading>(texts, onCompressInput);
  // Only whether there are chains is kept (not the texts: a map entry per channel of the XS heap).
  const chains = texts.size > 0;
  let errors = 0;
  let dropped = 0;
  const count = () => {
    if (pipeline.errors !== errors) counters.add("edge_errors", pipeline.errors - errors);
    if (pipeline.dropped !== dropped) counters.add("edge_dropped", pipeline.dropped - dropped);
    errors = pipeline.errors;
    dropped = pipeline.dropped;
  };
  return {
    push(reading, sink) {
      pipeline.push(reading, sink);
      if (chains) count();
    },
    flush(sink) {
      pipeline.flush(sink);
      count();
    },
  };
}
