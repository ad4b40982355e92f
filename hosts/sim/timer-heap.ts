/** One entry of a TimerHeap: due time, then scheduling order, decide who is first. */
export interface HeapTimer {
  due: number;
  order: number;
  /** Set by `TimerHeap.cancel`: the entry stays in the array until it reaches the top or a compaction. */
  cancelled: boolean;
}

/** Compact when this many cancelled entries make up more than half of the heap. */
const COMPACT_AT = 1024;

/**
 * A binary min-heap of timers ordered by (due, order), with lazy
 * cancellation: `cancel` marks an entry and `peek`/`pop` skip marked ones,
 * so scheduling, cancelling and taking the first are O(log n) for any number
 * of timers (a fleet's shared scheduler holds tens of thousands). An entry
 * must be pushed at most once at a time.
 */
export class TimerHeap<T extends HeapTimer> {
  #items: T[] = [];
  #cancelled = 0;

  /** Live (not cancelled) entries. */
  get size(): number {
    return this.#items.length - this.#cancelled;
  }

  push(timer: T): void {
    const items = this.#items;
    items.push(timer);
    this.#up(items.length - 1);
  }

  /** Marks `timer` cancelled (ignored when it already is); compacts when cancelled entries dominate. */
  cancel(timer: T): void {
    if (timer.cancelled) return;
    timer.cancelled = true;
    this.#cancelled++;
    if (this.#cancelled >= COMPACT_AT && this.#cancelled * 2 > this.#items.length) this.#compact();
  }

  /** The first live entry, undefined when none. */
  peek(): T | undefined {
    const items = this.#items;
    while (items.length > 0 && items[0].cancelled) {
      this.#cancelled--;
      this.#removeTop();
    }
    return items[0];
  }

  /** Takes the first live entry out. */
  pop(): T | undefined {
    const top = this.peek();
    if (top) this.#removeTop();
    return top;
  }

  clear(): void {
    for (const item of this.#items) item.cancelled = true;
    this.#items = [];
    this.#cancelled = 0;
  }

  #removeTop(): void {
    const items = this.#items;
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      this.#down(0);
    }
  }

  #compact(): void {
    this.#items = this.#items.filter((item) => !item.cancelled);
    this.#cancelled = 0;
    for (let i = (this.#items.length >> 1) - 1; i >= 0; i--) this.#down(i);
  }

  #up(index: number): void {
    const items = this.#items;
    const item = items[index];
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!before(item, items[parent])) break;
      items[index] = items[parent];
      index = parent;
    }
    items[index] = item;
  }

  #down(index: number): void {
    const items = this.#items;
    const n = items.length;
    const item = items[index];
    for (;;) {
      let child = 2 * index + 1;
      if (child >= n) break;
      if (child + 1 < n && before(items[child + 1], items[child])) child++;
      if (!before(items[child], item)) break;
      items[index] = items[child];
      index = child;
    }
    items[index] = item;
  }
}

function before(a: HeapTimer, b: HeapTimer): boolean {
  return a.due < b.due || (a.due === b.due && a.order < b.order);
}
