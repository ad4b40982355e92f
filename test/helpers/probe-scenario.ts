/**
 * A replay through the node's channels in virtual time (XS-safe): a probe
 * chip that paces itself at irregular row times, read by a `probe` channel
 * through the registry, its driver and the I2C bus model. Returns
 * "t=<ms> v=<value> q=<quality>" per reading. The XS test runs it inside the
 * engine and compares with the same run on Node.js.
 */
import { Counters } from "../../modules/counters.js";
import { Channels } from "../../modules/io/channels.js";
import { ProbeModel } from "../../modules/io/models/probe-model.js";
import { Logger } from "../../modules/log.js";
import { memoryPlatform } from "./memory-platform.js";

/** Rows: [ms after the replay starts, value]. */
export const PROBE_ROWS: readonly (readonly [number, number])[] = [[0, 0.202394], [1000, -0.273216], [3000, 122.664], [4000, 1e-7], [7500, -2.5e9]];

export function probeScenario(): string[] {
  const mp = memoryPlatform();
  const now = () => mp.platform.clock.monotonic();
  let start: number | undefined;
  const row = () => {
    start ??= now();
    let i = 0;
    while (i + 1 < PROBE_ROWS.length && start + PROBE_ROWS[i + 1][0] <= now()) i++;
    return i;
  };
  mp.board.bus.attach(0x10, new ProbeModel({
    value: () => PROBE_ROWS[row()][1],
    next: () => {
      const i = row();
      return i + 1 < PROBE_ROWS.length ? start! + PROBE_ROWS[i + 1][0] - now() : "end";
    },
  }));
  const channels = new Channels(mp.platform, new Logger(mp.platform), new Counters(), [
    { name: "col", type: "probe", measure: "value", intervalMs: 1000, unit: "", fields: { address: 0x10 } },
  ]);
  const lines: string[] = [];
  channels.start((r) => lines.push(`t=${r.at} v=${r.value} q=${r.quality}`));
  mp.advance(60_000);
  channels.stop();
  return lines;
}
