import type { Counters } from "./counters.js";
import { LogLimiter } from "./log-limiter.js";
import type { LogLevel, Platform } from "./platform.js";
import { escapeControls } from "./util/escape-controls.js";

const SEVERITY: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/** Log levels in order, most severe first. */
export const LOG_LEVELS: readonly LogLevel[] = ["error", "warn", "info", "debug"];

/**
 * The firmware's one logger: filters by level, stamps uptime and a component
 * tag, and hands the line to the platform. Every line is one line: control
 * characters in the tag or message (text from MQTT payloads, topics, config
 * values, files) are escaped (util/escape-controls.ts), so nothing from
 * outside can forge a line or reach the terminal raw. Lines at info and
 * above are rate-limited per source (log-limiter.ts: a burst of 5, then one
 * per 10 s, and a "suppressed N similar line(s)" line; counted in
 * `log_suppressed` once `counters` is set); debug lines are not limited.
 * Never throws.
 */
export class Logger {
  #platform: Platform;
  #level: LogLevel = "info";
  /** Wraps each write, so the console can keep log lines out of a half-typed command. */
  interject: ((write: () => void) => void) | undefined;
  /** Where `log_suppressed` is counted. */
  counters: Counters | undefined;
  #limiter: LogLimiter;

  constructor(platform: Platform) {
    this.#platform = platform;
    this.#limiter = new LogLimiter(platform.clock, platform.timers, (level, tag, message) => this.#emit(level, tag, message));
  }

  /** Writes the summaries of suppressed lines now and stops the limiter's timers (node stop). */
  flush(): void {
    this.#limiter.flush();
  }

  get level(): LogLevel {
    return this.#level;
  }

  set level(level: LogLevel) {
    this.#level = level;
  }

  /** Writes `[uptime] LEVEL tag: message` when `level` passes the filter. */
  write(level: LogLevel, tag: string, message: string): void {
    if (SEVERITY[level] > SEVERITY[this.#level]) return;
    if (level !== "debug" && !this.#limiter.admit(level, tag, message)) {
      this.counters?.add("log_suppressed");
      return;
    }
    this.#emit(level, tag, message);
  }

  #emit(level: LogLevel, tag: string, message: string): void {
    const seconds = (this.#platform.clock.monotonic() / 1000).toFixed(3);
    const line = `[${seconds}] ${level.toUpperCase()} ${escapeControls(tag)}: ${escapeControls(message)}`;
    try {
      if (this.interject) this.interject(() => this.#platform.log(level, line));
      else this.#platform.log(level, line);
    } catch {
      // A failing log sink must not take the loop down with it.
    }
  }

  error(tag: string, message: string): void { this.write("error", tag, message); }
  warn(tag: string, message: string): void { this.write("warn", tag, message); }
  info(tag: string, message: string): void { this.write("info", tag, message); }
  debug(tag: string, message: string): void { this.write("debug", tag, message); }
}
