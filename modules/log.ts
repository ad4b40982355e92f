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
 * outside can forge a line or reach the terminal raw. Never throws.
 */
export class Logger {
  #platform: Platform;
  #level: LogLevel = "info";
  /** Wraps each write, so the console can keep log lines out of a half-typed command. */
  interject: ((write: () => void) => void) | undefined;

  constructor(platform: Platform) {
    this.#platform = platform;
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
