/**
 * Run feedback of one output: a digital input (a contactor's auxiliary
 * contact, a flow switch, a current relay) that must follow the output
 * within `act.<name>.feedback_s`. A mismatch that lasts that long is a fault,
 * reported once; the input following again clears it.
 */
import type { DigitalIO, Platform, TimerHandle } from "../platform.js";

/** How often the input is checked, ms (at most a quarter of the allowed delay). */
export const FEEDBACK_POLL_MS = 250;

/** What the feedback reports: a fault, and its end. */
export interface FeedbackEvents {
  fault(detail: string): void;
  cleared(detail: string): void;
}

export class RunFeedback {
  #platform: Platform;
  #name: string;
  #pin: number;
  #limitMs: number;
  #events: FeedbackEvents;
  #input: DigitalIO | undefined;
  #timer: TimerHandle | undefined;
  #expected = 0;
  /** Monotonic ms since the input first disagreed with the output; undefined while it agrees. */
  #mismatchSince: number | undefined;
  #faulted = false;

  /** `limitS`: seconds the input may lag the output. Nothing opens before `start`. */
  constructor(platform: Platform, name: string, pin: number, limitS: number, events: FeedbackEvents) {
    this.#platform = platform;
    this.#name = name;
    this.#pin = pin;
    this.#limitMs = limitS * 1000;
    this.#events = events;
  }

  /** True while the input has disagreed for longer than allowed. */
  get faulted(): boolean {
    return this.#faulted;
  }

  /** Opens the input and starts watching it; throws when the pin cannot be opened. */
  start(expected: number): void {
    this.#input = new this.#platform.io.Digital({ pin: this.#pin, mode: "input" });
    this.#expected = expected > 0 ? 1 : 0;
    this.#mismatchSince = undefined;
    this.#timer = this.#platform.timers.repeat(() => this.check(), Math.min(FEEDBACK_POLL_MS, Math.max(1, this.#limitMs / 4)));
  }

  /** The output changed: the input has `feedback_s` from now to follow. */
  expect(value: number): void {
    const expected = value > 0 ? 1 : 0;
    if (expected === this.#expected) return;
    this.#expected = expected;
    this.#mismatchSince = undefined;
    this.check();
  }

  /** Reads the input once; reports a fault when it has lagged too long, and its end. Never throws. */
  check(): void {
    if (!this.#input) return;
    const now = this.#platform.clock.monotonic();
    let level: number;
    let problem: string | undefined;
    try {
      level = this.#input.read() ? 1 : 0;
    } catch (error) {
      level = -1;
      problem = (error as Error).message;
    }
    if (level === this.#expected) {
      this.#mismatchSince = undefined;
      if (this.#faulted) {
        this.#faulted = false;
        this.#events.cleared(`${this.#name}: feedback pin ${this.#pin} follows again (${level})`);
      }
      return;
    }
    this.#mismatchSince ??= now;
    const lagS = (now - this.#mismatchSince) / 1000;
    if (this.#faulted || lagS * 1000 < this.#limitMs) return;
    this.#faulted = true;
    this.#events.fault(problem === undefined
      ? `${this.#name}: feedback pin ${this.#pin} reads ${level}, expected ${this.#expected}, for ${lagS} s (feedback_s ${this.#limitMs / 1000})`
      : `${this.#name}: feedback pin ${this.#pin} cannot be read for ${lagS} s: ${problem}`);
  }

  /** Stops watching and closes the input. */
  stop(): void {
    this.#platform.timers.clear(this.#timer);
    this.#timer = undefined;
    try {
      this.#input?.close();
    } catch {
      // The pin is released either way.
    }
    this.#input = undefined;
  }
}
