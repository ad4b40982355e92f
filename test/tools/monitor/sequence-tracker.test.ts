import test from "ava";
import { SequenceTracker, type Finding } from "../../../tools/monitor/sequence-tracker.js";
import { formatFinding } from "../../../tools/monitor/format.js";

/** One pack: node, boot, seq, `_hist`; the findings written the way the monitor prints them. */
type Step = [node: string, boot: string, seq: number, hist: boolean, expected: string[]];

const CASES: { title: string; steps: Step[]; summary?: Record<string, number>; window?: number }[] = [
  {
    title: "consecutive seqs: nothing to report, joining mid-stream is not a gap",
    steps: [["a", "b1", 5, false, []], ["a", "b1", 6, false, []], ["a", "b1", 7, false, []]],
    summary: { packs: 3, nodes: 1, gaps: 0, dups: 0, replays: 0, newBoots: 0 },
  },
  {
    title: "a gap names the missing range",
    steps: [["a", "b1", 1, false, []], ["a", "b1", 2, false, []], ["a", "b1", 6, false, ["GAP 3-5 (3 missing)"]], ["a", "b1", 8, false, ["GAP 7 (1 missing)"]]],
    summary: { gaps: 2, missingReported: 4, lost: 4 },
  },
  {
    title: "the same seq twice is a duplicate",
    steps: [["a", "b1", 1, false, []], ["a", "b1", 2, false, []], ["a", "b1", 2, false, ["DUP 2"]], ["a", "b1", 1, false, ["DUP 1"]]],
    summary: { dups: 2, replays: 0 },
  },
  {
    title: "reordering: the late one is a replay that fills the gap",
    steps: [["a", "b1", 1, false, []], ["a", "b1", 3, false, ["GAP 2 (1 missing)"]], ["a", "b1", 2, false, ["REPLAY 2 (late, fills gap)"]], ["a", "b1", 4, false, []]],
    summary: { gaps: 1, missingReported: 1, recovered: 1, lost: 0, replays: 1 },
  },
  {
    title: "_hist packs are replays, new or already seen",
    steps: [["a", "b1", 1, false, []], ["a", "b1", 4, true, ["GAP 2-3 (2 missing)", "REPLAY 4 (hist)"]], ["a", "b1", 2, true, ["REPLAY 2 (hist, fills gap)"]], ["a", "b1", 1, true, ["DUP 1", "REPLAY 1 (hist)"]]],
    summary: { replays: 3, dups: 1, recovered: 1, lost: 1 },
  },
  {
    title: "a new boot restarts the counter: NEW-BOOT, and a gap when it does not start at 1",
    steps: [["a", "b1", 9, false, []], ["a", "b2", 1, false, ["NEW-BOOT b1→b2"]], ["a", "b2", 2, false, []], ["a", "b3", 3, false, ["NEW-BOOT b2→b3", "GAP 1-2 (2 missing)"]]],
    summary: { newBoots: 2, gaps: 1 },
  },
  {
    title: "a late pack of the previous boot is tracked in that boot, not as a new boot",
    steps: [["a", "b1", 1, false, []], ["a", "b2", 1, false, ["NEW-BOOT b1→b2"]], ["a", "b1", 2, true, ["REPLAY 2 (hist)"]], ["a", "b1", 2, true, ["DUP 2", "REPLAY 2 (hist)"]], ["a", "b2", 2, false, []]],
    summary: { newBoots: 1 },
  },
  {
    title: "nodes are independent",
    steps: [["a", "b", 1, false, []], ["c", "b", 5, false, []], ["a", "b", 2, false, []], ["c", "b", 6, false, []], ["c", "b", 6, false, ["DUP 6"]]],
    summary: { nodes: 2, dups: 1 },
  },
  {
    title: "older than the remembered window: a replay of unknown status",
    window: 4,
    steps: [["a", "b", 1, false, []], ["a", "b", 10, false, ["GAP 2-9 (8 missing)"]], ["a", "b", 5, false, ["REPLAY 5 (late, older than window)"]], ["a", "b", 8, false, ["REPLAY 8 (late, fills gap)"]], ["a", "b", 8, false, ["DUP 8"]]],
  },
];

for (const { title, steps, summary, window } of CASES) {
  test(title, (t) => {
    const tracker = new SequenceTracker(window === undefined ? {} : { window });
    for (const [index, [node, boot, seq, hist, expected]] of steps.entries())
      t.deepEqual(tracker.observe(node, boot, seq, hist).map(formatFinding), expected, `step ${index}: ${node} ${boot} ${seq}${hist ? " hist" : ""}`);
    if (summary) t.like(tracker.summary(), summary);
  });
}

test("memory stays bounded: a huge jump, many boots and many nodes", (t) => {
  const tracker = new SequenceTracker({ window: 8, bootsPerNode: 2, nodes: 3 });
  t.deepEqual(tracker.observe("a", "b", 1), []);
  const jump: Finding[] = tracker.observe("a", "b", 1e12);
  t.deepEqual(jump, [{ type: "GAP", from: 2, to: 1e12 - 1 }]);
  for (let i = 0; i < 100; i++) tracker.observe("a", `boot${i}`, 1);
  for (let i = 0; i < 100; i++) tracker.observe(`n${i}`, "b", 1);
  t.is(tracker.summary().nodes, 101, "nodes counted as heard, though only 3 are remembered");
  t.deepEqual(tracker.observe("n99", "b", 2), [], "a remembered node goes on");
  t.deepEqual(tracker.observe("a", "b", 1e12 + 1), [], "a forgotten node starts afresh, silently");
});

test("bad bounds are RangeErrors naming the bound", (t) => {
  t.throws(() => new SequenceTracker({ window: 0 }), { instanceOf: RangeError, message: "SequenceTracker: window must be an integer ≥ 1, got 0" });
  t.throws(() => new SequenceTracker({ nodes: 1.5 }), { instanceOf: RangeError, message: /nodes .* got 1\.5/ });
});
