import test from "ava";
import { TimerHeap, type HeapTimer } from "../../../hosts/sim/timer-heap.js";
import { seededRandom } from "../../helpers/seeded-random.js";

const timer = (due: number, order: number): HeapTimer => ({ due, order, cancelled: false });

test("pops by due time, ties by order; cancelled entries are skipped", (t) => {
  const heap = new TimerHeap<HeapTimer>();
  const items = [timer(30, 0), timer(10, 1), timer(20, 2), timer(10, 3), timer(5, 4)];
  for (const item of items) heap.push(item);
  heap.cancel(items[4]);
  heap.cancel(items[4]);
  t.is(heap.size, 4);
  const out: number[] = [];
  for (let item = heap.pop(); item; item = heap.pop()) out.push(item.order);
  t.deepEqual(out, [1, 3, 2, 0]);
  t.is(heap.size, 0);
  t.is(heap.peek(), undefined);
});

test("seeded random pushes, cancels and pops agree with a sorted list (compaction included)", (t) => {
  for (const seed of [1, 2, 3]) {
    const random = seededRandom(seed);
    const heap = new TimerHeap<HeapTimer>();
    const live: HeapTimer[] = [];
    let order = 0;
    for (let step = 0; step < 20_000; step++) {
      const r = random();
      if (r < 0.5) {
        const item = timer(Math.floor(random() * 1000), order++);
        heap.push(item);
        live.push(item);
      } else if (r < 0.8 && live.length > 0) {
        const [item] = live.splice(Math.floor(random() * live.length), 1);
        heap.cancel(item);
      } else {
        live.sort((a, b) => a.due - b.due || a.order - b.order);
        const expected = live.shift();
        t.is(heap.pop(), expected);
      }
      if (heap.size !== live.length) return t.fail(`size ${heap.size} != ${live.length} at step ${step}`);
    }
  }
  t.pass();
});

test("cancelling most of a large heap compacts it and keeps the order of the rest", (t) => {
  const random = seededRandom(9);
  const heap = new TimerHeap<HeapTimer>();
  const items = Array.from({ length: 3000 }, (_, i) => timer(Math.floor(random() * 500), i));
  for (const item of items) heap.push(item);
  const kept = items.filter((_, i) => i % 3 === 0);
  for (const item of items) if (item.order % 3 !== 0) heap.cancel(item);
  t.is(heap.size, 1000);
  const out: HeapTimer[] = [];
  for (let item = heap.pop(); item; item = heap.pop()) out.push(item);
  t.deepEqual(out, [...kept].sort((a, b) => a.due - b.due || a.order - b.order));
});
