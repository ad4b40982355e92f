import { open } from "node:fs/promises";

/** fsyncs in flight at once (libuv's thread pool has 4 threads by default). */
const PARALLEL = 4;

/**
 * The fsyncs of a fleet's flash files, batched and off the event loop: a
 * node's write reaches the kernel at once (so a killed process leaves every
 * node's flash as that node wrote it, in order), and `flush` makes the files
 * written since the last flush durable with one fsync per file, not one per
 * write, on libuv's thread pool (at most 4 at a time), so a thousand nodes'
 * files never stall the nodes' timers. The fleet calls `flush` every
 * `periodMs` (a flush still running makes the next tick wait) and at stop. A
 * file that cannot be opened or synced is counted in `errors` (the write
 * itself already succeeded).
 */
export class SyncBatch {
  #dirty = new Set<string>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #running: Promise<void> | undefined;
  /** fsyncs done, and ones that failed. */
  synced = 0;
  errors = 0;

  /** Starts the periodic flush (default every 5,000 ms); the timer does not keep the process alive. */
  start(periodMs = 5000): void {
    this.#timer = setInterval(() => {
      if (!this.#running) void this.flush();
    }, periodMs);
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

  /** fsyncs every file written since the last flush (after the flush already running, if any); never rejects. */
  async flush(): Promise<void> {
    while (this.#running) await this.#running;
    const paths = [...this.#dirty];
    this.#dirty.clear();
    const run = async () => {
      let next = 0;
      const worker = async () => {
        while (next < paths.length) await this.#sync(paths[next++]);
      };
      await Promise.all(Array.from({ length: Math.min(PARALLEL, paths.length) }, worker));
    };
    this.#running = run();
    try {
      await this.#running;
    } finally {
      this.#running = undefined;
    }
  }

  /** Stops the timer and flushes what is left. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
  }

  async #sync(path: string): Promise<void> {
    try {
      const handle = await open(path, "r");
      try {
        await handle.sync();
        this.synced++;
      } finally {
        await handle.close();
      }
    } catch {
      this.errors++;
    }
  }
}
