import type { Clock, LogLevel, TimerHandle, Timers } from "./platform.js";

/** Lines one source may write back to back. */
export const LOG_BURST = 5;
/** After the burst, one more line per this many ms and source. */
export const LOG_REFILL_MS = 10_000;
/** Sources remembered; the least recently used is forgotten first (its summary written). */
export const LOG_SOURCES_MAX = 32;
/** Characters of a message's head that name its source (with level and tag). */
const HEAD_MAX = 40;

interface Source {
  level: LogLevel;
  tag: string;
  head: string;
  tokens: number;
  at: number;
  suppressed: number;
  timer?: TimerHandle;
}

/**
 * Rate limit of repeated log lines (issue 7 item 5). A source is the level,
 * the tag and the message up to its first ": " (at most 40 characters, each
 * run of digits read as `#`): `WARN cmd: read: not_found: …` and
 * `ERROR outbox: cannot write segment 12: …` are one source each however
 * their details and numbers vary. Each source may write
 * `burst` lines at once, then one per `refillMs` (a token bucket); the lines
 * beyond are dropped and counted (`suppressed`, and per source), and one
 * line "suppressed N similar line(s)" follows at the source's level and tag
 * when the source may write again (a timer, so it comes even when the storm
 * has ended). Sources are bounded (LOG_SOURCES_MAX, least recent forgotten
 * after its summary). Never throws.
 */
export class LogLimiter {
  #clock: Clock;
  #timers: Timers;
  #emit: (level: LogLevel, tag: string, message: string) => void;
  #burst: number;
  #refillMs: number;
  #sources = new Map<string, Source>();
  /** Lines dropped so far. */
  suppressed = 0;

  constructor(clock: Clock, timers: Timers, emit: (level: LogLevel, tag: string, message: string) => void, burst = LOG_BURST, refillMs = LOG_REFILL_MS) {
    if (!Number.isInteger(burst) || burst < 1) throw new RangeError(`log burst must be a positive integer, got ${burst}`);
    if (!(refillMs > 0)) throw new RangeError(`log refill must be positive ms, got ${refillMs}`);
    this.#clock = clock;
    this.#timers = timers;
    this.#emit = emit;
    this.#burst = burst;
    this.#refillMs = refillMs;
  }

  /** Whether the line may be written now; a pending summary of its source is written first. */
  admit(level: LogLevel, tag: string, message: string): boolean {
    const head = sourceHead(message);
    const key = `${level} ${tag} ${head}`;
    const now = this.#clock.monotonic();
    let source = this.#sources.get(key);
    if (source) this.#sources.delete(key);
    else {
      source = { level, tag, head, tokens: this.#burst, at: now, suppressed: 0 };
      if (this.#sources.size >= LOG_SOURCES_MAX) this.#forget(this.#sources.keys().next().value!);
    }
    this.#sources.set(key, source);
    this.#refill(source, now);
    if (source.tokens >= 1) {
      source.tokens -= 1;
      this.#summarise(source);
      return true;
    }
    source.suppressed++;
    this.suppressed++;
    if (source.timer === undefined) {
      const wait = Math.ceil((1 - source.tokens) * this.#refillMs);
      source.timer = this.#timers.once(() => {
        source.timer = undefined;
        this.#refill(source, this.#clock.monotonic());
        if (source.suppressed > 0 && source.tokens >= 1) source.tokens -= 1;
        this.#summarise(source);
      }, wait);
    }
    return false;
  }

  /** Writes every pending summary now and stops the timers (node stop). */
  flush(): void {
    for (const key of [...this.#sources.keys()]) this.#forget(key);
  }

  #refill(source: Source, now: number): void {
    source.tokens = Math.min(this.#burst, source.tokens + (now - source.at) / this.#refillMs);
    source.at = now;
  }

  #summarise(source: Source): void {
    if (source.suppressed === 0) return;
    const n = source.suppressed;
    source.suppressed = 0;
    this.#emit(source.level, source.tag, `suppressed ${n} similar line(s) (${source.head})`);
  }

  #forget(key: string): void {
    const source = this.#sources.get(key);
    if (!source) return;
    this.#timers.clear(source.timer);
    this.#sources.delete(key);
    this.#summarise(source);
  }
}

/** The message up to its first ": ", at most HEAD_MAX characters, each run of digits as "#". */
function sourceHead(message: string): string {
  const cut = message.indexOf(": ");
  const text = cut < 0 ? message : message.slice(0, cut);
  let head = "";
  for (let i = 0; i < text.length && head.length < HEAD_MAX; i++) {
    const c = text.charCodeAt(i);
    const digit = c >= 0x30 && c <= 0x39;
    if (!digit) head += text[i];
    else if (i === 0 || !(text.charCodeAt(i - 1) >= 0x30 && text.charCodeAt(i - 1) <= 0x39)) head += "#";
  }
  return head;
}
