import type { ChannelConfig } from "../config/node-config.js";
import type { Reading } from "../io/channels.js";
import type { Logger } from "../log.js";
import { ChannelPipeline } from "./channel-pipeline.js";

/**
 * The node's pipeline from its channel configs (`filter`, validated at
 * set/save/load). Never throws: a channel whose chain cannot be built
 * (a config that bypassed validation) is logged and sends every reading.
 */
export function edgePipeline(channels: readonly ChannelConfig[], log: Logger): ChannelPipeline<Reading> {
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
  return new ChannelPipeline<Reading>(texts);
}
