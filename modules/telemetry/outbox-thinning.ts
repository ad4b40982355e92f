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

/** The closed segments as `planRoom` reads them, row by row (the outbox's typed-array table, without an object per segment). */
export interface RoomView {
  readonly length: number;
  level(i: number): number;
  /** Unacknowledged messages in row `i`. */
  count(i: number): number;
  /** Bytes row `i`'s unacknowledged messages take as one segment (framing included). */
  bytes(i: number): number;
  /** Row `i` holds a message in flight: it must not be rewritten now. */
  busy(i: number): boolean;
}

/** A `RoomView` over candidate objects (tests, small callers). */
export function roomView(segments: readonly RoomCandidate[]): RoomView {
  return {
    length: segments.length,
    level: (i) => segments[i].level,
    count: (i) => segments[i].count,
    bytes: (i) => segments[i].bytes,
    busy: (i) => segments[i].busy,
  };
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
export function planRoom(candidates: readonly RoomCandidate[] | RoomView): RoomStep | undefined {
  const s = Array.isArray(candidates) ? roomView(candidates) : (candidates as RoomView);
  const length = s.length;
  const free = (i: number) => i >= 0 && i < length && !s.busy(i) && s.count(i) > 0;
  for (let i = 0; i + 1 < length; i++) {
    if (free(i) && free(i + 1) && s.level(i) === s.level(i + 1) && s.bytes(i) + s.bytes(i + 1) - SEGMENT_OVERHEAD <= STORAGE_VALUE_MAX) return { kind: "concat", at: i };
  }
  let min = Infinity;
  for (let i = 0; i < length; i++) if (free(i) && s.level(i) < LEVEL_MAX) min = Math.min(min, s.level(i));
  if (min !== Infinity) {
    for (let i = 0; i + 1 < length; i++) {
      if (free(i) && free(i + 1) && s.level(i) === min && s.level(i + 1) === min) return { kind: "thin", at: i, level: min };
    }
    for (let i = 0; i < length; i++) {
      if (free(i) && s.level(i) === min && s.count(i) >= 2) return { kind: "thin-one", at: i, level: min };
    }
  }
  for (let i = 0; i < length; i++) if (!s.busy(i)) return { kind: "drop", at: i };
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
