/**
 * Bench only: a measured attempt at the exact min-link method made online
 * (issue 12, item 3): the window propagation of compression-min-link.ts run
 * over a bounded block of samples, with path recovery and commit. Not
 * firmware: it keeps every sample's two levels (unions of polygons) for the
 * recovery, far more memory than an ESP32 channel can spend, and allocates
 * freely; it answers how close a bounded-window online method comes to the
 * optimum, before anyone builds one.
 *
 * Per sample r of the block the forward state S(r) = (links, D_links(r),
 * D_links+1(r)) is stored. When the block holds `window` samples:
 * - if one link covers it all (links = 1), all but its last window/4
 *   samples are folded into the first link's polygon (D_1 there, a set of
 *   lines) and the rest propagated again: the block never grows;
 * - else a line of the final level (its middle) is walked back: at each
 *   sample the latest joint first (a line of D_K−1(r−1) that crosses it
 *   between t_r−1 and t_r, found by clipping each polygon with the two
 *   crossing quadrants), a jump link when K ≥ links(r−1) + 2, else the line
 *   stays. The joints of all but the last `keep` links are reported and
 *   the last reported link's line becomes the block's first link (a
 *   degenerate polygon); when only the last link would be left open, its
 *   start is reported and the lines through it that fit its samples (a fan)
 *   become the first link, folded as above.
 * Every commit is checked against the block's samples before it is
 * reported; a failed one is reported as its samples (always within e).
 * At the end everything is reported. Polygons per level above `maxPieces`
 * are dropped (the widest kept): a subset, so every recovered line stays
 * valid. The caller checks the result with the independent checker
 * (test/helpers/series-check.ts). A prototype's shortcut: the "any value"
 * edge of a box is set from the whole series' range (a port would take it
 * from the block's).
 */
import { seriesError, type Point } from "../helpers/series-check.js";
import { anyValue, clipBand, clipHalf, door, meet, prune, reach, type Piece } from "./compression-min-link.js";

/** Polygons kept per level by default (the widest at the sample). */
const MAX_PIECES = 16;

/**
 * The setting the bench reports: a block of 32 samples, the last 2 links
 * left open at a commit, 4 polygons per level (on SKAB 16 save at most
 * 0.5 % more points; 2 cost up to 1.5 % more, 1 costs 7–9 % more).
 */
export const ONLINE_BENCH = { window: 32, keep: 2, pieces: 4 } as const;

interface Line {
  origin: number;
  s: number;
  v: number;
}
interface State {
  links: number;
  level: Piece[];
  next: Piece[];
}

const valueAt = (l: Line, at: number) => l.v + (l.s * (at - l.origin)) / 1000;

function middle(p: Piece): Line {
  let s = 0;
  let v = 0;
  for (let i = 0; i < p.s.length; i++) {
    s += p.s[i];
    v += p.v[i];
  }
  return { origin: p.origin, s: s / p.s.length, v: v / p.s.length };
}

function cap(list: Piece[], at: number, most: number): Piece[] {
  const kept = prune(list, at);
  if (kept.length <= most) return kept;
  const width = (p: Piece) => {
    const [lo, hi] = reach(p, at);
    return hi - lo;
  };
  return kept.sort((a, b) => width(b) - width(a)).slice(0, most);
}

/** A line of `p` that crosses `l` between a and b (closed), or undefined. */
function crossing(p: Piece, l: Line, a: number, b: number, tol: number): Line | undefined {
  const da = (a - p.origin) / 1000;
  const db = (b - p.origin) / 1000;
  for (const below of [true, false]) {
    const first = clipHalf(p, da, valueAt(l, a), below, tol);
    const both = first && clipHalf(first, db, valueAt(l, b), !below, tol);
    if (both) return middle(both);
  }
  return undefined;
}

/** Result of `onlinePoints`. */
export interface Online {
  points: Point[];
  /** Most samples held in one block (the window, or more while one line covers them all). */
  held: number;
  /** Recoveries that failed or whose points missed a sample by more than e (float trouble): the block was then reported as its samples. */
  failures: number;
  /** Most polygons in one level, and most vertices of one polygon (what a firmware version would have to hold per sample of the block). */
  pieces: number;
  vertices: number;
  /**
   * Most distinct polygon births (a stab or meet box, or the first link)
   * that one block's stored levels refer to: what a port that rebuilds
   * polygons from their birth box would store instead of the polygons.
   */
  births: number;
}

/** True when every sample of `block` lies within e of the polyline through `points` (the checker's interpolation). */
function fits(block: readonly Point[], points: readonly Point[], e: number): boolean {
  const error = seriesError(block, points);
  return error.uncovered === 0 && error.max <= e;
}

/** Online min-link with a block of `window` samples, leaving the last `keep` links open at a commit, at most `maxPieces` polygons per level. */
export function onlinePoints(samples: readonly Point[], e: number, window: number = ONLINE_BENCH.window, keep: number = ONLINE_BENCH.keep, maxPieces = MAX_PIECES): Online {
  const inner = e * (1 - 1e-9);
  const tol = e * 1e-12;
  const out: Point[] = [];
  let held = 0;
  let failures = 0;
  let pieces = 0;
  let vertices = 0;
  let births = 0;
  let born = 0;
  const birth = new WeakMap<Piece, number>();
  const tagged = (list: Piece[]) => {
    for (const p of list) if (!birth.has(p)) birth.set(p, born++);
    return list;
  };
  /** Counts the births the full block refers to (at a commit or fold, when the block is largest). */
  const count = () => {
    const ids = new Set<number>();
    for (const st of states) for (const list of [st.level, st.next]) for (const p of tagged(list)) ids.add(birth.get(p)!);
    births = Math.max(births, ids.size);
  };
  const measure = (state: State) => {
    for (const list of [state.level, state.next]) {
      pieces = Math.max(pieces, list.length);
      for (const p of list) vertices = Math.max(vertices, p.s.length);
    }
    return state;
  };
  const wide = anyValue(samples, e);
  const stab = (block: readonly Point[], r: number): Piece => door(block, r, inner, wide);
  /**
   * The first link of the block, or undefined (a free start): its lines
   * (one committed line, or the polygon a long link was folded into), the
   * time after which the next link may start (its last covered sample, or
   * its reported start point) and, when not reported yet, its start time.
   */
  let start: { pieces: Piece[]; at: number; first?: number } | undefined;
  let block: Point[] = [];
  let states: State[] = [];

  const step = (r: number) => {
    const b = block[r].at;
    const ylo = block[r].value - inner;
    const yhi = block[r].value + inner;
    const clip = (list: Piece[]) =>
      tagged(list)
        .map((p) => {
          const q = clipBand(p, b, ylo, yhi, tol);
          if (q) birth.set(q, birth.get(p)!);
          return q;
        })
        .filter((p): p is Piece => p !== undefined);
    if (r === 0) {
      if (!start) states.push(measure({ links: 1, level: [stab(block, 0)], next: [stab(block, 0)] }));
      else {
        const level = clip(start.pieces);
        const next = start.at < b ? clip(meet(start.pieces, start.at, b, ylo, yhi, wide)) : [];
        states.push(measure(level.length ? { links: 1, level, next } : { links: 2, level: next.length ? next : [stab(block, 0)], next: [stab(block, 0)] }));
      }
      return;
    }
    const { links, level, next } = states[r - 1];
    const a = block[r - 1].at;
    const kept = clip(level);
    const later = cap([...clip(next), ...meet(level, a, b, ylo, yhi, wide)], b, maxPieces);
    if (kept.length) states.push(measure({ links, level: cap(kept, b, maxPieces), next: later }));
    else if (later.length) states.push(measure({ links: links + 1, level: later, next: [stab(block, r)] }));
    else states.push(measure({ links: links + 2, level: [stab(block, r)], next: [stab(block, r)] }));
  };

  /** The path ending with the middle of the last level, as points; each with the line that leaves it (undefined after a jump's first point). */
  const recover = (): { at: number; value: number; line?: Line }[] | undefined => {
    let r = block.length - 1;
    let line = middle(states[r].level[0]);
    let k = states[r].links;
    const path: { at: number; value: number; line?: Line }[] = [];
    while (r > 0) {
      const s = states[r - 1];
      const a = block[r - 1].at;
      const b = block[r].at;
      if (k >= s.links + 2) {
        const parent = middle(s.level[0]);
        const g = b - a;
        path.push({ at: a + (2 * g) / 3, value: valueAt(line, a + (2 * g) / 3), line });
        path.push({ at: a + g / 3, value: valueAt(parent, a + g / 3), line: undefined });
        line = parent;
        k = s.links;
        r--;
        continue;
      }
      const parents = k - 1 === s.links ? s.level : k - 1 === s.links + 1 ? s.next : [];
      let parent: Line | undefined;
      for (const p of parents) if ((parent = crossing(p, line, a, b, tol))) break;
      if (parent) {
        const xa = valueAt(parent, a) - valueAt(line, a);
        const xb = valueAt(parent, b) - valueAt(line, b);
        const f = xa === xb ? 0 : Math.min(1, Math.max(0, xa / (xa - xb)));
        const at = a + f * (b - a);
        path.push({ at, value: valueAt(line, at), line });
        line = parent;
        k--;
      } else {
        const y = block[r - 1].value;
        if (Math.abs(valueAt(line, a) - y) > e) return undefined;
      }
      r--;
    }
    if (!start) path.push({ at: block[0].at, value: valueAt(line, block[0].at), line });
    else {
      if (k === 2) {
        // Meets a line of the first link between the time it may end and the first sample.
        const a = start.at;
        const b = block[0].at;
        let parent: Line | undefined;
        for (const p of start.pieces) if ((parent = crossing(p, line, a, b, tol))) break;
        if (!parent) return undefined;
        const xa = valueAt(parent, a) - valueAt(line, a);
        const xb = valueAt(parent, b) - valueAt(line, b);
        const f = xa === xb ? 0 : Math.min(1, Math.max(0, xa / (xa - xb)));
        const at = a + f * (b - a);
        if (at > a) path.push({ at, value: valueAt(line, at), line });
        line = parent;
      } else if (k !== 1) return undefined;
      if (start.first !== undefined) path.push({ at: start.first, value: valueAt(line, start.first), line });
    }
    return path.reverse();
  };

  const restart = (from: number) => {
    const rest = block.slice(from);
    block = [];
    states = [];
    for (const s of rest) {
      block.push(s);
      step(block.length - 1);
    }
  };

  /** Reports the first link (to where the next may start) and then the block's samples as points: always within e. */
  const fail = () => {
    failures++;
    if (start) {
      const line = middle(start.pieces[0]);
      if (start.first !== undefined) out.push({ at: start.first, value: valueAt(line, start.first) });
      if (out.length === 0 || out[out.length - 1].at < start.at) out.push({ at: start.at, value: valueAt(line, start.at) });
    }
    for (const s of block) out.push(s);
    start = undefined;
    block = [];
    states = [];
  };

  for (const sample of samples) {
    block.push(sample);
    step(block.length - 1);
    held = Math.max(held, block.length);
    if (block.length < window) continue;
    count();
    const last = states[states.length - 1];
    const tail = Math.floor(window / 4);
    const fold = block.length - 1 - tail;
    if (last.links === 1) {
      // One link covers the block: fold all but its last `tail` samples into the first link's polygon (they need not be held).
      start = { pieces: states[fold].level, at: block[fold].at, first: start ? start.first : block[0].at };
      restart(fold + 1);
      continue;
    }
    const path = recover();
    if (!path) {
      fail();
      continue;
    }
    // Links start at the points with a line; keep the last `keep` of them open.
    const starts = path.map((p, i) => (p.line ? i : -1)).filter((i) => i >= 0);
    let index = Math.max(0, starts.length - keep - 1);
    while (index < starts.length - 1 && path[starts[index]].at <= block[0].at) index++;
    const cut = starts[index];
    const line = path[cut].line!;
    const reported = path.slice(0, cut + 1).map((p) => ({ at: p.at, value: p.value }));
    // Checked before it is reported: the samples up to the committed line's start, against the points so far.
    const previous = out.length ? [out[out.length - 1]] : [];
    const covered = block.filter((s) => s.at <= path[cut].at);
    if (!fits(covered, [...previous, ...reported], e)) {
      fail();
      continue;
    }
    out.push(...reported);
    const from = path[cut].at;
    if (index === starts.length - 1) {
      // Only the last link is left: fold it, as the lines through its reported start that fit the samples after it.
      let fan: Piece | undefined = { origin: from, s: [-wide, wide], v: [path[cut].value, path[cut].value] };
      const end = Math.max(fold, block.findIndex((s) => s.at > from));
      for (let i = 0; i <= end; i++) if (block[i].at > from && fan) fan = clipBand(fan, block[i].at, block[i].value - inner, block[i].value + inner, tol);
      if (fan && end >= 0) {
        start = { pieces: [fan], at: block[end].at };
        restart(end + 1);
        continue;
      }
    }
    start = { pieces: [{ origin: line.origin, s: [line.s], v: [line.v] }], at: from };
    const after = block.findIndex((s) => s.at > from);
    restart(after < 0 ? block.length : after);
  }
  if (block.length) {
    const path = recover();
    const last = block[block.length - 1].at;
    // The last link's line: the middle of the last level, where the walk back began.
    const line = middle(states[states.length - 1].level[0]);
    const reported = (path ?? []).map((p) => ({ at: p.at, value: p.value }));
    if ((reported.length ? reported[reported.length - 1].at : out.length ? out[out.length - 1].at : -Infinity) < last) reported.push({ at: last, value: valueAt(line, last) });
    if (!path || !fits(block, [...(out.length ? [out[out.length - 1]] : []), ...reported], e)) fail();
    else out.push(...reported);
  } else if (start) {
    // The block was just folded or committed: the first link's line to its end (and its start, if not reported).
    const line = middle(start.pieces[0]);
    if (start.first !== undefined) out.push({ at: start.first, value: valueAt(line, start.first) });
    if (out.length === 0 || out[out.length - 1].at < start.at) out.push({ at: start.at, value: valueAt(line, start.at) });
  }
  return { points: out, held, failures, pieces, vertices, births };
}
