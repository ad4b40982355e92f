import type { Watchdog } from "../platform.js";

/**
 * The firmware's side of the board's watchdog: arms the platform's
 * `Watchdog` at boot and feeds it from the main loop (the node's 1 s
 * housekeeping tick), so a loop that stops turning resets the board. Never
 * throws: a watchdog that cannot be armed, or a feed that throws, goes to
 * `onError` and shows in `describe()` (the `status` line).
 */
export class LoopWatchdog {
  #watchdog: Watchdog | undefined;
  #onError: (message: string) => void;
  #state: string;
  #feeds = 0;

  /** `watchdog`: the platform's (absent: none on this host). */
  constructor(watchdog: Watchdog | undefined, onError: (message: string) => void) {
    this.#watchdog = watchdog;
    this.#onError = onError;
    this.#state = watchdog ? "not armed yet" : "none on this host";
  }

  /** Arms the watchdog; returns whether it is armed. */
  start(): boolean {
    const watchdog = this.#watchdog;
    if (!watchdog) return false;
    try {
      watchdog.start();
      this.#state = "armed";
      return true;
    } catch (error) {
      this.#state = `not armed: ${(error as Error).message}`;
      this.#onError(`cannot arm the watchdog: ${(error as Error).message}`);
      return false;
    }
  }

  /** One turn of the main loop: feeds the armed watchdog. */
  feed(): void {
    if (this.#state !== "armed") return;
    try {
      this.#watchdog!.feed();
      this.#feeds++;
    } catch (error) {
      this.#onError(`feeding the watchdog failed: ${(error as Error).message}`);
    }
  }

  /** Disarms it (the node stops or restarts). */
  stop(): void {
    if (this.#state !== "armed") return;
    this.#watchdog!.stop();
    this.#state = "stopped";
  }

  /** Feeds since boot. */
  get feeds(): number {
    return this.#feeds;
  }

  /** The status line: "armed, timeout 10 s, fed by the main loop (42 feeds)", "none on this host", "not armed: …". */
  describe(): string {
    if (this.#state !== "armed") return this.#state;
    return `armed, timeout ${this.#watchdog!.timeoutMs / 1000} s, fed by the main loop (${this.#feeds} feeds)`;
  }
}
