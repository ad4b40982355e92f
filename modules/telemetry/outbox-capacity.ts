import { STORAGE_VALUE_MAX } from "../platform.js";

/**
 * Bytes of storage kept for the records beside the outbox: config A/B,
 * broker fallback A/B, boot count, outbox index A/B (budgeted at 4,000
 * each). The event queue's A/B record (`evq`: 8 events with details cut to
 * 200 characters, about 2,300 bytes each when the details are ASCII) and
 * the retained-identity record (`mq.base`, at most 210 bytes) live in the
 * slack of that budget: the config and fallback records are about 1 kB
 * each at typical settings.
 */
export const STORAGE_RESERVE_BYTES = 24_000;
/** Upper bound of outbox segments whatever the flash: each costs a few XS slots of bookkeeping in RAM. */
export const OUTBOX_SEGMENTS_MAX = 256;

/**
 * Outbox segments (4,000 bytes each, STORAGE_VALUE_MAX) that fit a storage
 * of `capacityBytes` (the port's hint) after STORAGE_RESERVE_BYTES, between
 * 1 and OUTBOX_SEGMENTS_MAX; undefined without a hint (the outbox default).
 */
export function outboxSegmentsFor(capacityBytes: number | undefined): number | undefined {
  if (capacityBytes === undefined || !Number.isFinite(capacityBytes)) return undefined;
  const segments = Math.floor((capacityBytes - STORAGE_RESERVE_BYTES) / STORAGE_VALUE_MAX);
  return Math.min(OUTBOX_SEGMENTS_MAX, Math.max(1, segments));
}
