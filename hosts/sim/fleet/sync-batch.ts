import { closeSync, fsyncSync, openSync } from "node:fs";

/**
 * The fsyncs of a fleet's flash files, batched: a node's write reaches the
 * kernel at once (so a killed process leaves every node's flash as that
 * node wrote it, in order), and `flush` makes the files written since the
 * last flush durable with one fsync per file, not one per write. The fleet
 * calls `flush` every `periodMs` and at stop. A file that cannot be opened
 * or synced is counted in `errors` (the write itself already succeeded).
 */
export class SyncBatch {
  #dirty = new Set<string>();
  #timer: ReturnType<typeof setInterval> | undefined;
  /** fsyncs done, and ones that failed. */
  synced = 0;
  errors = 0;

  /** Starts the periodic flush (default every 5,000 ms); the timer does not keep the process alive. */
  start(periodMs = 5000): void {
    this.#timer = setInterval(() => this.flush(), periodMs);
    this.#timer.unref();
  }

  /** Notes that `path` was written and needs an fsync. */
  mark(path: string): void {
    this.#dirty.add(path);
  }

  /** Files waiting for their fsync. */
  get pending(): number {
    return this.#dirty.size;
  }

  /** fsyncs every file written since the last flush. */
  flush(): void {
    const paths = [...this.#dirty];
    this.#dirty.clear();
    for (const path of paths) {
      let fd: number | undefined;
      try {
        fd = openSync(path, "r");
        fsyncSync(fd);
        this.synced++;
      } catch {
        this.errors++;
      } finally {
        if (fd !== undefined) closeSync(fd);
      }
    }
  }

  /** Stops the timer and flushes what is left. */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    this.flush();
  }
}
