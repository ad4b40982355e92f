import type { Counters } from "../counters.js";

/** What the outbox could not keep since boot, from the node's counters. */
export interface OutboxLosses {
  /** Packs lost whole: a segment dropped (nothing could be thinned), a torn segment's packs, a RAM tail over its bound. */
  dropped: number;
  /** Packs left out on purpose to keep an evenly coarser history (overflow). */
  thinned: number;
  /** Segments found torn (CRC) at boot or on replay. */
  torn: number;
  /** Packs larger than a segment, never queued. */
  rejected: number;
}

/** Reads the losses from `counters` (`outbox_dropped`, `outbox_thinned`, `outbox_torn`, `outbox_rejected`). */
export function outboxLosses(counters: Counters): OutboxLosses {
  return {
    dropped: counters.get("outbox_dropped"),
    thinned: counters.get("outbox_thinned"),
    torn: counters.get("outbox_torn"),
    rejected: counters.get("outbox_rejected"),
  };
}

/**
 * The losses as one text, the same in `status` and in the `outbox_loss`
 * event's detail: "dropped 0, thinned 124, torn 0, rejected 0".
 */
export function describeLosses(losses: OutboxLosses): string {
  return `dropped ${losses.dropped}, thinned ${losses.thinned}, torn ${losses.torn}, rejected ${losses.rejected}`;
}
