import type { Storage } from "../platform.js";
import { crc32 } from "./crc32.js";

const KEY = "boot.rst";

/** The reset reasons the port reports (SystemServices.resetReason), in record order; anything else counts as "unknown". */
export const RESET_REASONS = ["power-on", "software", "panic", "watchdog", "brownout", "unknown"] as const;

/**
 * Counts this boot's reset reason in a small persistent record (one u32 per
 * reason in `RESET_REASONS` order, then a CRC-32) and returns the counts
 * across boots, including this one. A torn or missing record starts again
 * from zero; a count stops at 2^32 - 1. A failing flash returns the counts
 * it read (this boot not counted) and tells `onError`; never throws.
 */
export function countResetReason(storage: Storage, reason: string, onError?: (error: unknown) => void): Record<string, number> {
  const size = RESET_REASONS.length * 4;
  const counts = new Array<number>(RESET_REASONS.length).fill(0);
  const result = () => Object.fromEntries(RESET_REASONS.map((name, i) => [name, counts[i]]));
  try {
    const bytes = storage.read(KEY);
    if (bytes && bytes.byteLength === size + 4) {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      if (view.getUint32(size) === crc32(bytes, 0, size)) for (let i = 0; i < counts.length; i++) counts[i] = view.getUint32(i * 4);
    }
  } catch (error) {
    onError?.(error);
    return result();
  }
  const known = RESET_REASONS.indexOf(reason as (typeof RESET_REASONS)[number]);
  const index = known >= 0 ? known : RESET_REASONS.length - 1;
  const before = counts[index];
  if (counts[index] < 0xffffffff) counts[index]++;
  try {
    const out = new Uint8Array(size + 4);
    const view = new DataView(out.buffer);
    counts.forEach((count, i) => view.setUint32(i * 4, count));
    view.setUint32(size, crc32(out, 0, size));
    storage.write(KEY, out);
  } catch (error) {
    counts[index] = before;
    onError?.(error);
  }
  return result();
}
