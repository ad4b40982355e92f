import { parseChain } from "./chain-parser.js";
import { buildChain, FilterChain } from "./filter-chain.js";
import type { Quality } from "../io/quality.js";
import type { Sample } from "./filter.js";

/** The part of a channel reading the pipeline needs (io/reading.ts `Reading` fits: a bad one may carry no value). */
export interface ChannelReading {
  channel: string;
  at: number;
  value?: number;
  quality?: Quality;
  reason?: string;
}

/**
 * Checks a `ch.<name>.filter` value: undefined when it is a valid chain,
 * else `column <n>: <reason>` (see `parseChain`). Never throws.
 */
export function checkChainText(text: string): string | undefined {
  const parsed = parseChain(text);
  return parsed.ok ? undefined : `column ${parsed.column}: ${parsed.reason}`;
}

/**
 * The bound e of a chain text's last compress stage (what the birth
 * publishes per channel), undefined without one or for a bad text.
 */
export function compressBound(text: string): number | undefined {
  const parsed = parseChain(text);
  if (!parsed.ok) return undefined;
  let e: number | undefined;
  for (const stage of parsed.stages) if (stage.name === "compress") e = stage.args[0];
  return e;
}

/**
 * Every channel's filter chain between the channels and the batcher: a
 * reading goes through its channel's chain (a channel without one passes
 * unchanged), and what comes out keeps the reading's other fields. A bad
 * reading without a value enters as NaN and leaves without one again.
 * Never throws (a chain counts its own faults).
 */
export class ChannelPipeline<R extends ChannelReading> {
  #chains = new Map<string, FilterChain>();

  /**
   * Builds the chains from channel name → chain text (empty texts are left
   * out); `onCompressInput` sees what enters each chain's last compress stage
   * (FilterChain.onCompressInput), as a reading of its channel. Throws RangeError `ch.<name>.filter: column <n>: <reason>` for a
   * bad text; config validation refuses those first (`checkChainText`).
   */
  constructor(texts: ReadonlyMap<string, string>, onCompressInput?: (reading: R) => void) {
    // One observer for all chains, not a closure (~11 slots of the ESP32's XS heap) per channel.
    const tap = onCompressInput && ((sample: Sample) => onCompressInput(fromSample(sample as Sample & R)));
    for (const [channel, text] of texts) {
      if (text.trim() === "") continue;
      let chain: FilterChain;
      try {
        chain = buildChain(text);
      } catch (error) {
        throw new RangeError(`ch.${channel}.filter: ${(error as Error).message}`);
      }
      chain.onCompressInput = tap;
      this.#chains.set(channel, chain);
    }
  }

  /** Runs one reading through its channel's chain; `sink` gets what comes out. */
  push(reading: R, sink: (reading: R) => void): void {
    const chain = this.#chains.get(reading.channel);
    if (!chain) {
      sink(reading);
      return;
    }
    chain.push({ ...reading, value: reading.value ?? Number.NaN } as Sample & R, (out) => sink(fromSample(out)));
  }

  /** Reports what every chain still holds (at stop) and resets them. */
  flush(sink: (reading: R) => void): void {
    for (const chain of this.#chains.values()) chain.flush<Sample & R>((out) => sink(fromSample(out)));
  }

  /** The compress bound e of a channel's chain, for the birth; undefined without compress. */
  compressE(channel: string): number | undefined {
    return this.#chains.get(channel)?.compressE;
  }

  /** Faults of all chains (a defect in a filter), for the node's counters. */
  get errors(): number {
    let n = 0;
    for (const chain of this.#chains.values()) n += chain.stats.errors;
    return n;
  }

  /** Readings the chains dropped (out of time order), for the node's counters. */
  get dropped(): number {
    let n = 0;
    for (const chain of this.#chains.values()) n += chain.dropped;
    return n;
  }
}

function fromSample<R extends ChannelReading>(sample: Sample & R): R {
  if (sample.quality !== "bad") return sample;
  const { value: _value, ...rest } = sample;
  return rest as unknown as R;
}
