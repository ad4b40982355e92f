import type { ChannelConfig } from "../../../modules/config/node-config.js";

/**
 * Samples per second a node's channels are due to acquire: the sum of
 * 1000 / intervalMs over its channels (the pump skid's 8 channels at 1 s:
 * 8). The fleet states the sum over its nodes, so its summary's samples/s
 * is read against the machine actually running, not a figure assumed
 * elsewhere.
 */
export function dueSamplesPerS(channels: readonly Pick<ChannelConfig, "intervalMs">[]): number {
  let due = 0;
  for (const channel of channels) due += 1000 / channel.intervalMs;
  return due;
}
