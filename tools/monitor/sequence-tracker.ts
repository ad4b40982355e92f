/** Something the sequence numbers of a node's telemetry say. */
export type Finding =
  /** Sequence numbers `from`..`to` (inclusive) never arrived before this one: lost, so far. */
  | { type: "GAP"; from: number; to: number }
  /** This (node, boot, seq) was already received. */
  | { type: "DUP"; seq: number }
  /**
   * A pack sent again or late: flagged `_hist`, or lower than the highest
   * seq seen. `fills` when it is one of the numbers a GAP reported;
   * `unknown` when it is older than the remembered window.
   */
  | { type: "REPLAY"; seq: number; historical: boolean; fills: boolean; unknown: boolean }
  /** The node's boot id changed: its counter restarted. */
  | { type: "NEW-BOOT"; previous: string; boot: string };

/** Running counts, over every node. */
export interface TrackerSummary {
  packs: number;
  nodes: number;
  /** GAP findings, and the sequence numbers they reported missing. */
  gaps: number;
  missingReported: number;
  /** Missing numbers that arrived later (REPLAY with `fills`). */
  recovered: number;
  /** Reported missing and not (yet) recovered. */
  lost: number;
  dups: number;
  replays: number;
  newBoots: number;
}

export interface TrackerOptions {
  /** Sequence numbers remembered per (node, boot), below the highest seen. Default 1024. */
  window?: number;
  /** Boots remembered per node, the oldest forgotten first. Default 4. */
  bootsPerNode?: number;
  /** Nodes remembered, the least recently heard forgotten first. Default 10,000. */
  nodes?: number;
}

/** What is remembered of one boot of one node: the highest seq and a ring of the last `window` seqs. */
class BootState {
  highest: number;
  /** Per slot `seq % window`: 0 never seen, 1 seen, 2 reported missing. */
  readonly ring: Uint8Array;
  constructor(window: number, first: number) {
    this.ring = new Uint8Array(window);
    this.highest = first - 1;
  }
  get window(): number { return this.ring.length; }
  inWindow(seq: number): boolean { return seq <= this.highest && seq > this.highest - this.window; }
  slot(seq: number): number { return seq % this.window; }
  /** Moves the highest seq up to `seq`, marking the skipped numbers `mark`. */
  advance(seq: number, mark: 0 | 2): void {
    const start = Math.max(this.highest + 1, seq - this.window + 1);
    for (let s = start; s <= seq; s++) this.ring[this.slot(s)] = mark;
    this.highest = seq;
  }
}

/**
 * Tells lost, duplicated and replayed telemetry apart from the `_seq` and
 * `_boot` metadata alone (README "Telemetry payload"), keyed on (node,
 * boot). The first pack of a node starts tracking silently (the monitor
 * may have joined mid-stream); the first pack of a new boot of a known node
 * reports NEW-BOOT, and a GAP from 1 when it is not seq 1 (a `_hist` pack
 * of an unseen boot starts tracking that boot silently). Memory is
 * bounded by `window` × `bootsPerNode` × `nodes` bytes plus small change.
 * Throws `RangeError` for a window, boots or nodes bound below 1.
 */
export class SequenceTracker {
  readonly #window: number;
  readonly #bootsPerNode: number;
  readonly #maxNodes: number;
  /** node → (boot → state), both in least-recently-used order; the last boot inserted is the current one. */
  readonly #nodes = new Map<string, { current: string; boots: Map<string, BootState> }>();
  readonly #summary: TrackerSummary = { packs: 0, nodes: 0, gaps: 0, missingReported: 0, recovered: 0, lost: 0, dups: 0, replays: 0, newBoots: 0 };

  constructor(options: TrackerOptions = {}) {
    this.#window = bound("window", options.window ?? 1024);
    this.#bootsPerNode = bound("bootsPerNode", options.bootsPerNode ?? 4);
    this.#maxNodes = bound("nodes", options.nodes ?? 10_000);
  }

  /** Records one pack and says what its sequence number reveals (possibly nothing). */
  observe(node: string, boot: string, seq: number, historical = false): Finding[] {
    const findings: Finding[] = [];
    const sum = this.#summary;
    sum.packs++;
    let entry = this.#nodes.get(node);
    if (entry) {
      this.#nodes.delete(node);
      this.#nodes.set(node, entry);
    } else {
      if (this.#nodes.size >= this.#maxNodes) this.#nodes.delete(this.#nodes.keys().next().value!);
      entry = { current: boot, boots: new Map() };
      this.#nodes.set(node, entry);
      sum.nodes++;
    }
    let state = entry.boots.get(boot);
    if (!state) {
      const known = entry.boots.size > 0;
      state = new BootState(this.#window, known && !historical ? 1 : seq);
      if (entry.boots.size >= this.#bootsPerNode) entry.boots.delete(entry.boots.keys().next().value!);
      entry.boots.set(boot, state);
      if (known && !historical) {
        findings.push({ type: "NEW-BOOT", previous: entry.current, boot });
        sum.newBoots++;
        entry.current = boot;
      }
    }
    if (seq > state.highest) {
      if (seq > state.highest + 1) {
        const from = state.highest + 1, to = seq - 1;
        findings.push({ type: "GAP", from, to });
        sum.gaps++;
        sum.missingReported += to - from + 1;
        sum.lost += to - from + 1;
      }
      state.advance(seq, 2);
      state.ring[state.slot(seq)] = 1;
      if (historical) {
        findings.push({ type: "REPLAY", seq, historical, fills: false, unknown: false });
        sum.replays++;
      }
      return findings;
    }
    if (!state.inWindow(seq)) {
      findings.push({ type: "REPLAY", seq, historical, fills: false, unknown: true });
      sum.replays++;
      return findings;
    }
    const slot = state.slot(seq);
    if (state.ring[slot] === 1) {
      findings.push({ type: "DUP", seq });
      sum.dups++;
      if (historical) {
        findings.push({ type: "REPLAY", seq, historical, fills: false, unknown: false });
        sum.replays++;
      }
      return findings;
    }
    const fills = state.ring[slot] === 2;
    state.ring[slot] = 1;
    if (fills) {
      sum.recovered++;
      sum.lost--;
    }
    findings.push({ type: "REPLAY", seq, historical, fills, unknown: false });
    sum.replays++;
    return findings;
  }

  /** A copy of the running counts. */
  summary(): TrackerSummary {
    return { ...this.#summary };
  }
}

function bound(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`SequenceTracker: ${name} must be an integer ≥ 1, got ${value}`);
  return value;
}
