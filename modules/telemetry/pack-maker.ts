import type { Counters } from "../counters.js";
import type { Reading } from "../io/channels.js";
import { utf8Length } from "../util/utf8.js";
import { encodeTelemetryPack, packLimit, telemetryPackBound } from "./telemetry-pack.js";

/** Default largest MQTT packet the node sends (`UplinkOptions.maxPacketBytes`). */
export const DEFAULT_MAX_PACKET = 1024;
/** The smallest pack budget a `maxPacketBytes` may leave. */
export const PACK_LIMIT_MIN = 64;

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

  /** The next pack of `readings`. */
  make(readings: readonly Reading[]): Uint8Array {
    const payload = this.#encode(readings, ++this.#seq);
    this.#counters.add("tele_packs");
    if (payload.byteLength > this.limit) this.#counters.add("tele_oversize");
    return payload;
  }

  /** Whether `readings` make one pack small enough. */
  fits(readings: readonly Reading[]): boolean {
    if (telemetryPackBound(this.#options, readings) <= this.limit) return true;
    return this.#encode(readings, 0xffffffff).byteLength <= this.limit;
  }

  #encode(readings: readonly Reading[], seq: number): Uint8Array {
    const { nodeId, bootId } = this.#options;
    return encodeTelemetryPack({ nodeId, bootId, seq, epochAtBoot: this.#options.epochAtBoot() }, readings);
  }
}
