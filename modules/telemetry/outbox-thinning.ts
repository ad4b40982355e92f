import { STORAGE_VALUE_MAX } from "../platform.js";
import { LEVEL_MAX, SEGMENT_OVERHEAD, segmentSize } from "./outbox-format.js";

/** What the outbox knows of one closed segment when it must make room. */
export interface RoomCandidate {
  level: number;
  /** Unacknowledged messages in it. */
  count: number;
  /** Bytes its unacknowledged messages take as one segment (framing included). */
  bytes: number;
  /** Holds a message in flight: it must not be rewritten now. */
  busy: boolean;
}

/**
 * One step that frees flash, oldest data first:
 * - `concat`: segments `at` and `at + 1` (same level) fit together in one
 *   segment: rewritten as one, nothing lost;
 * - `thin`: segments `at` and `at + 1`, both at the lowest level present,
 *   become one segment keeping every other message (one level coarser);
 * - `thin-one`: segment `at`, alone at the lowest level, keeps every other
 *   message (frees bytes, not a segment; the next step pairs it);
 * - `drop`: nothing can be rewritten (busy, or too few): segment `at` goes whole.
 * Undefined when no segment may be touched at all.
 */
export type RoomStep =
  | { kind: "concat"; at: number }
  | { kind: "thin"; at: number; level: number }
  | { kind: "thin-one"; at: number; level: number }
  | { kind: "drop"; at: number };

/**
 * Chooses the next step to free a segment of flash (see `RoomStep`). The
 * levels stay in step: the oldest data is thinned first, and only to one
 * level coarser than the finest data kept, so a long outage leaves a
 * history whose spacing differs by at most 2× from one end to the other.
 */
export function planRoom(segments: readonly RoomCandidate[]): RoomStep | undefined {
  const free = (i: number) => i >= 0 && i < segments.length && !segments[i].busy && segments[i].count > 0;
  for (let i = 0; i + 1 < segments.length; i++) {
    const [a, b] = [segments[i], segments[i + 1]];
    if (free(i) && free(i + 1) && a.level === b.level && a.bytes + b.bytes - SEGMENT_OVERHEAD <= STORAGE_VALUE_MAX) return { kind: "concat", at: i };
  }
  let min = Infinity;
  for (let i = 0; i < segments.length; i++) if (free(i) && segments[i].level < LEVEL_MAX) min = Math.min(min, segments[i].level);
  if (min !== Infinity) {
    for (let i = 0; i + 1 < segments.length; i++) {
      if (free(i) && free(i + 1) && segments[i].level === min && segments[i + 1].level === min) return { kind: "thin", at: i, level: min };
    }
    for (let i = 0; i < segments.length; i++) {
      if (free(i) && segments[i].level === min && segments[i].count >= 2) return { kind: "thin-one", at: i, level: min };
    }
  }
  for (let i = 0; i < segments.length; i++) if (!segments[i].busy) return { kind: "drop", at: i };
  return undefined;
}

/**
 * Thins `messages` at `level` to one level coarser: keeps those whose
 * ordinal is a multiple of 2^(level + 1), or of 2^(level + 2) ... when that
 * is what it takes to fit one segment (at least the first message is always
 * kept). Returns the messages kept and their new level.
 */
export function thinMessages<T extends { readonly bytes: { readonly byteLength: number }; readonly ordinal: number }>(messages: readonly T[], level: number): { kept: T[]; level: number } {
  for (let next = level + 1; ; next++) {
    const stride = 2 ** Math.min(next, LEVEL_MAX);
    let kept = messages.filter((m) => m.ordinal % stride === 0);
    if (kept.length === 0) kept = messages.slice(0, 1);
    if (next >= LEVEL_MAX || kept.length <= 1 || segmentSize(kept.map((m) => m.bytes)) <= STORAGE_VALUE_MAX) return { kept, level: Math.min(next, LEVEL_MAX) };
  }
}
