import type { Storage } from "../platform.js";
import { crc32 } from "./crc32.js";

const KEY = "boot.n";

/**
 * Increments and returns the persisted boot counter (1 on a fresh board).
 * Record: u32 count + u32 CRC-32; a torn or missing record restarts at 1.
 * A failing flash returns 0 (unknown) instead of throwing, and tells
 * `onError` (the node's boot check that the flash takes writes).
 */
export function nextBootCount(storage: Storage, onError?: (error: unknown) => void): number {
  let count = 0;
  try {
    const bytes = storage.read(KEY);
    if (bytes && bytes.byteLength === 8) {
      const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
      if (view.getUint32(4) === crc32(bytes, 0, 4)) count = view.getUint32(0);
    }
    const out = new Uint8Array(8);
    const view = new DataView(out.buffer);
    view.setUint32(0, (count + 1) >>> 0);
    view.setUint32(4, crc32(out, 0, 4));
    storage.write(KEY, out);
    return count + 1;
  } catch (error) {
    onError?.(error);
    return 0;
  }
}
