import type { Counters } from "../counters.js";
import { utf8Length } from "../util/utf8.js";
import type { ReadingRows } from "./reading-rows.js";
import { encodeTelemetryPack, groupHeaderBound, packLimit, readingBound, telemetryPackBound } from "./telemetry-pack.js";

/** Default largest MQTT packet the node sends (`UplinkOptions.maxPacketBytes`). */
export const DEFAULT_MAX_PACKET = 1024;
/** The smallest pack budget a `maxPacketBytes` may leave. */
export const PACK_LIMIT_MIN = 64;

/**
 * Most bytes one good reading adds to a pack whose readings are all good:
 * its record in its channel's group (map header 1, v 1 + 9, t 1 + 9) and a
 * new base time for its window (1 + 9).
 */
export const GROUP_READING_BOUND = 31;
/** Readings of a channel below which a pack may name each (telemetry-pack.ts, namedIsShorter) rather than group them. */
const NAMED_MAX = 3;

/** Who the packs are from, and the packet budget. */
export interface PackMakerOptions {
  nodeId: string;
  bootId: string;
  /** The telemetry topic: its length counts against `maxPacketBytes`. */
  teleTopic: string;
  /** Largest MQTT PUBLISH, bytes (default DEFAULT_MAX_PACKET). */
  maxPacketBytes?: number;
  /** Wall-clock ms at monotonic 0, or undefined before the clock is synchronised. */
  epochAtBoot(): number | undefined;
}

/**
 * Makes the telemetry packs of one boot: numbers them (`seq` from 1),
 * encodes them as SenML-CBOR (telemetry-pack.ts) and sizes them so that a
 * PUBLISH of one, with the topic and the `_hist`/re-basing growth, stays
 * within `maxPacketBytes`. `fits` is the batcher's question "may these
 * readings share one pack?", answered by a cheap bound and encoded only when
 * the bound is too close. Counts `tele_packs` and `tele_oversize` (a single
 * reading too big even alone). Throws RangeError when `maxPacketBytes`
 * leaves less than PACK_LIMIT_MIN bytes for a pack.
 */
export class PackMaker {
  /** Bytes one encoded pack may take. */
  readonly limit: number;
  readonly maxPacketBytes: number;
  #options: PackMakerOptions;
  #counters: Counters;
  #seq = 0;
  /** The bound of the rows `fits` last said yes to: their serial, how many, the bound, their channels. */
  #bound: { serial: number; n: number; bound: number; channels: Set<string> } | undefined;
  /** The last rows `fits` encoded (and said yes to): their serial, how many, the size, whether all were good, readings per channel. */
  #last: { serial: number; n: number; size: number; good: boolean; channels: Map<string, number> } | undefined;

  constructor(options: PackMakerOptions, counters: Counters) {
    this.maxPacketBytes = options.maxPacketBytes ?? DEFAULT_MAX_PACKET;
    this.limit = packLimit(this.maxPacketBytes, utf8Length(options.teleTopic));
    if (!(this.limit >= PACK_LIMIT_MIN)) throw new RangeError(`maxPacketBytes ${this.maxPacketBytes} leaves ${this.limit} bytes for a pack; need at least ${PACK_LIMIT_MIN}`);
    this.#options = options;
    this.#counters = counters;
  }

  /** The seq of the last pack made (0 before the first). */
  get seq(): number {
    return this.#seq;
  }

  /** The next pack of `rows`. */
  make(rows: ReadingRows): Uint8Array {
    const payload = this.#encode(rows, ++this.#seq);
    this.#counters.add("tele_packs");
    if (payload.byteLength > this.limit) this.#counters.add("tele_oversize");
    return payload;
  }

  /**
   * Whether `rows` make one pack small enough. Asked before each reading
   * joins a pack, so it encodes as seldom as it can: a cheap bound first
   * (`telemetryPackBound`, extended by the added rows only when `rows`
   * extend the last rows it said yes to: same serial, longer); then, when
   * `rows` extend the last ones it encoded, that size plus the most each
   * added reading can add (`GROUP_READING_BOUND`, and a group's header for a
   * channel with fewer than three readings so far); only then an encoding.
   * What it remembers moves on only with a yes, so rows may take back what
   * they added after a no (the Batcher's pop and unjoin).
   */
  fits(rows: ReadingRows): boolean {
    const { nodeId } = this.#options;
    const known = this.#bound;
    let bound: { serial: number; n: number; bound: number; channels: Set<string> };
    if (known && known.serial === rows.serial && rows.length >= known.n) {
      bound = { serial: rows.serial, n: rows.length, bound: known.bound, channels: known.channels };
      let added: Set<string> | undefined;
      for (let i = known.n; i < rows.length; i++) {
        const meta = rows.meta(i);
        const first = !known.channels.has(meta.channel) && !added?.has(meta.channel);
        if (first) (added ??= new Set()).add(meta.channel);
        bound.bound += readingBound(nodeId, meta, first);
      }
      if (added) bound.channels = new Set([...known.channels, ...added]);
    } else {
      const channels = new Set<string>();
      for (let i = 0; i < rows.length; i++) channels.add(rows.meta(i).channel);
      bound = { serial: rows.serial, n: rows.length, bound: telemetryPackBound(this.#options, rows), channels };
    }
    if (bound.bound <= this.limit) {
      this.#bound = bound;
      return true;
    }
    const last = this.#last;
    if (last && last.good && last.serial === rows.serial && rows.length > last.n) {
      let size = last.size;
      const channels = new Map(last.channels);
      for (let i = last.n; i < rows.length && size <= this.limit; i++) {
        const meta = rows.meta(i);
        const count = channels.get(meta.channel) ?? 0;
        channels.set(meta.channel, count + 1);
        // A reading not good turns its channel's group into named records: only an encoding tells.
        if (meta.quality !== "good") size = Infinity;
        // A channel with few readings may go from named records to a group: its header comes on top.
        else size += GROUP_READING_BOUND + (count < NAMED_MAX ? groupHeaderBound(nodeId, meta) : 0);
      }
      if (size <= this.limit) {
        this.#bound = bound;
        return true;
      }
    }
    const size = this.#encode(rows, 0xffffffff).byteLength;
    if (size > this.limit) return false;
    const channels = new Map<string, number>();
    let good = true;
    for (let i = 0; i < rows.length; i++) {
      const meta = rows.meta(i);
      channels.set(meta.channel, (channels.get(meta.channel) ?? 0) + 1);
      if (meta.quality !== "good") good = false;
    }
    this.#last = { serial: rows.serial, n: rows.length, size, good, channels };
    this.#bound = bound;
    return true;
  }

  #encode(rows: ReadingRows, seq: number): Uint8Array {
    const { nodeId, bootId } = this.#options;
    return encodeTelemetryPack({ nodeId, bootId, seq, epochAtBoot: this.#options.epochAtBoot() }, rows);
  }
}
