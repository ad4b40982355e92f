import test from "ava";
import type { ChannelConfig } from "../../modules/config/node-config.js";
import { Counters } from "../../modules/counters.js";
import { edgePipeline } from "../../modules/edge/edge-pipeline.js";
import type { Reading } from "../../modules/io/channels.js";
import { Logger } from "../../modules/log.js";
import { memoryPlatform } from "../helpers/memory-platform.js";

const channel = (name: string, filter?: string): ChannelConfig => ({ name, type: "sht3x", measure: "temperature", intervalMs: 1000, unit: "Cel", ...(filter ? { filter } : {}) });
const good = (name: string, value: number, at: number): Reading => ({ channel: name, unit: "Cel", at, quality: "good", value });

test("out-of-order readings a compress stage drops are counted as edge_dropped", (t) => {
  const counters = new Counters();
  const pipeline = edgePipeline([channel("temp", "compress(0.5)")], new Logger(memoryPlatform().platform), counters);
  const out: Reading[] = [];
  for (const [v, at] of [[1, 0], [1, 1000], [1, 500], [1, 1000], [1, 2000]]) pipeline.push(good("temp", v, at), (r) => out.push(r));
  pipeline.flush((r) => out.push(r));
  t.is(counters.get("edge_dropped"), 2);
  t.deepEqual(out.map((r) => r.at), [0, 2000]);
});

test("a chain that cannot be built (config that bypassed validation) is logged; that channel sends every reading", (t) => {
  const mp = memoryPlatform();
  const pipeline = edgePipeline([channel("temp", "ema(7)"), channel("rh", "calibrate(2, 0)")], new Logger(mp.platform), new Counters());
  const out: Reading[] = [];
  pipeline.push(good("temp", 3, 0), (r) => out.push(r));
  pipeline.push(good("rh", 3, 0), (r) => out.push(r));
  t.deepEqual(out.map((r) => r.value), [3, 6]);
});
