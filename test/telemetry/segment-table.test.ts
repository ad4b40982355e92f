import test from "ava";
import { SegmentTable } from "../../modules/telemetry/segment-table.js";
import type { OutboxEntry } from "../../modules/telemetry/outbox.js";

/** Rows as [n, level, count, skip, bytes]. */
function rows(table: SegmentTable): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < table.length; i++) out.push([table.n(i), table.level(i), table.count(i), table.skip(i), table.bytes(i)]);
  return out;
}

const entry = (ordinal: number): OutboxEntry => ({ bytes: new Uint8Array([ordinal]), historical: true, acked: false, at: 0, ordinal });

test("rows keep segment numbers up to 2^32 - 1 and the 16-bit fields exactly", (t) => {
  const table = new SegmentTable(2);
  table.push(0xffffffff, 30, 567, 4000, 12);
  table.push(65_536, 0, 1, 25);
  t.deepEqual(rows(table), [[0xffffffff, 30, 567, 12, 4000], [65_536, 0, 1, 0, 25]]);
});

const edits: [string, (table: SegmentTable) => void, number[]][] = [
  ["insert at the front", (tb) => tb.insert(0, 9, 0, 1, 30), [9, 1, 2, 3]],
  ["insert in the middle", (tb) => tb.insert(2, 9, 0, 1, 30), [1, 2, 9, 3]],
  ["push past the capacity grows", (tb) => { tb.push(4, 0, 1, 30); tb.push(5, 0, 1, 30); }, [1, 2, 3, 4, 5]],
  ["remove the head", (tb) => tb.remove(0), [2, 3]],
  ["remove two in the middle and end", (tb) => tb.remove(1, 2), [1]],
  ["remove past the end stops at the end", (tb) => tb.remove(2, 5), [1, 2]],
  ["clear", (tb) => tb.clear(), []],
];
for (const [title, edit, expected] of edits) {
  test(`segment table: ${title}`, (t) => {
    const table = new SegmentTable(3);
    for (const n of [1, 2, 3]) table.push(n, n, 10 * n, 100 * n, n - 1);
    edit(table);
    t.deepEqual(rows(table).map((r) => r[0]), expected);
    for (const r of rows(table)) if (r[0] !== 9 && r[0] < 4) t.deepEqual(r, [r[0], r[0], 10 * r[0], r[0] - 1, 100 * r[0]], "a moved row keeps its fields");
  });
}

test("loaded messages follow their row by segment number and leave with it", (t) => {
  const table = new SegmentTable(4);
  const head = [entry(0), entry(1)];
  table.push(7, 0, 2, 40, 0, head);
  table.push(8, 0, 1, 30);
  table.insert(0, 6, 0, 1, 30);
  t.is(table.entries(1), head, "found after a row was inserted before it");
  t.is(table.indexOf(7), 1);
  t.is(table.indexOf(99), -1);
  table.setEntries(2, [entry(2)]);
  table.setSkip(1, 1);
  t.is(table.skip(1), 1);
  table.remove(1);
  t.is(table.entries(0), undefined);
  t.deepEqual(table.entries(1)?.map((e) => e.ordinal), [2]);
  table.setEntries(1, undefined);
  t.is(table.entries(1), undefined);
});

test("a capacity below 1 is a RangeError naming it", (t) => {
  t.throws(() => new SegmentTable(0), { instanceOf: RangeError, message: /capacity must be a positive integer, got 0/ });
  t.throws(() => new SegmentTable(1.5), { instanceOf: RangeError });
});
