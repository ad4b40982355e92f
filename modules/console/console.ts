import type { Counters } from "../counters.js";
import type { ConsolePort } from "../platform.js";
import { ConsoleError } from "./console-error.js";
import { errorCode } from "../errors.js";
import { escapeControls } from "../util/escape-controls.js";
import { HISTORY_LINE_BYTES, LineHistory } from "./line-history.js";
import { LineReader, MAX_LINE_BYTES, type LineEditing, type LineEvent } from "./line-reader.js";
import { tokenize } from "./tokenize.js";

/** Where a command writes its reply lines (the final OK/ERR line is the console's). */
export type Reply = (line: string) => void;

/** One console command. */
export interface ConsoleCommand {
  name: string;
  /** One line for `help`. */
  summary: string;
  /** Argument synopsis, e.g. "<key> <value>". */
  usage: string;
  /** Longer text for `help <command>`. */
  details?: string;
  /** Throws ConsoleError for a failure; may return a promise for slow work. */
  run(args: string[], reply: Reply): void | Promise<void>;
}

/** Lines queued while a slow command runs; beyond this they are refused. */
const MAX_QUEUED_LINES = 16;

/**
 * The serial console: one command per line, every reply ends with exactly
 * one line `OK` or `ERR <code> <message>`. Commands come from a registry;
 * nothing a line contains can throw out of here. On a terminal (an
 * interactive port) Up/Down recall earlier lines from a `LineHistory`; a line
 * in which `masksAfter` masks anything (a secret) is never kept there.
 */
export class Console {
  #port: ConsolePort;
  #counters: Counters;
  #commands = new Map<string, ConsoleCommand>();
  #reader: LineReader;
  #queue: LineEvent[] = [];
  #busy = false;
  #prompt = "> ";
  /** True while the prompt waits for input on a terminal (no reply is being written). */
  #promptShown = false;
  /** Lines Up/Down recall; only on a terminal. */
  #history: LineHistory | undefined;
  /**
   * Decides, from what has been typed so far on a line, whether the next
   * characters are a secret and must be echoed as "*" (e.g. after
   * "set wifi.password "). Installed by whoever knows the secret keys.
   */
  masksAfter: ((typed: string) => boolean) | undefined;
  /**
   * Sees the received bytes before the line reader and hands on, through
   * `text`, those that are console text (the Improv recogniser). Must not throw.
   */
  frontEnd: ((bytes: Uint8Array, text: (bytes: Uint8Array) => void) => void) | undefined;

  constructor(port: ConsolePort, counters: Counters) {
    this.#port = port;
    this.#counters = counters;
    const echo = port.interactive ? (text: string) => port.write(text) : undefined;
    let editing: LineEditing | undefined;
    if (port.interactive) {
      const history = (this.#history = new LineHistory());
      editing = {
        recall: (direction) => (direction === "older" ? history.older() : history.newer()),
        redraw: (shown) => port.write(`\r${this.#promptShown ? this.#prompt : ""}\x1b[K${shown}`),
      };
    }
    const emit = (event: LineEvent) => {
      this.#remember(event);
      this.#enqueue(event);
    };
    this.#reader = new LineReader(emit, echo, (typed) => this.masksAfter?.(typed) ?? false, editing);
  }

  /** Adds a command; a second one with the same name is a programming error. */
  register(command: ConsoleCommand): void {
    if (this.#commands.has(command.name)) throw new TypeError(`console command "${command.name}" registered twice`);
    this.#commands.set(command.name, command);
  }

  /** Registered commands in name order. */
  commands(): ConsoleCommand[] {
    return [...this.#commands.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  command(name: string): ConsoleCommand | undefined {
    return this.#commands.get(name);
  }

  /** Starts listening to the port and shows the prompt. */
  start(): void {
    const text = (bytes: Uint8Array) => this.#reader.feed(bytes);
    this.#port.onReceive((bytes) => (this.frontEnd ? this.frontEnd(bytes, text) : text(bytes)));
    this.#showPrompt();
  }

  /** Writes an unsolicited line (events, log echo) without breaking the prompt. */
  print(line: string): void {
    this.interject(() => this.#port.write(`${line}\r\n`));
  }

  /**
   * Runs `write` (which prints whole lines) so that, on a terminal, it does not
   * land in the middle of what the technician is typing: the prompt line is
   * cleared first and redrawn, with the typed text, afterwards.
   */
  interject(write: () => void): void {
    if (!this.#promptShown) return write();
    this.#port.write("\r\x1b[K");
    write();
    this.#port.write(this.#prompt + this.#reader.shown);
  }

  /**
   * Runs one line as if typed. A synchronous command's reply is complete on
   * return; for a slow one, the returned promise resolves when it is.
   */
  execute(line: string): void | Promise<void> {
    this.#promptShown = false;
    const reply: Reply = (text) => this.#port.write(`${escapeControls(text)}\r\n`);
    const parsed = tokenize(line.trim());
    if ("error" in parsed) return this.#fail(new ConsoleError("bad-quote", parsed.error));
    const [name, ...args] = parsed.words;
    if (name === undefined) return;
    const command = this.#commands.get(name.toLowerCase());
    if (!command) {
      const near = this.#nearest(name.toLowerCase());
      const hint = near ? `did you mean "${near}"? ` : "";
      return this.#fail(new ConsoleError("unknown-command", `unknown command "${clip(name)}"; ${hint}type help for the list`));
    }
    let result: void | Promise<void>;
    try {
      result = command.run(args, reply);
    } catch (error) {
      return this.#fail(error);
    }
    if (result && typeof (result as Promise<void>).then === "function")
      return (result as Promise<void>).then(() => this.#ok(), (error: unknown) => this.#fail(error));
    this.#ok();
  }

  #ok(): void {
    this.#port.write("OK\r\n");
    this.#counters.add("console_ok");
  }

  /** Keeps a finished line for recall, unless it holds a secret; any line ends a recall. */
  #remember(event: LineEvent): void {
    const history = this.#history;
    if (!history) return;
    if ("overflow" in event || this.#holdsSecret(event.line)) history.reset();
    else history.add(event.line);
  }

  /** True when `masksAfter` masks any part of `line` (checked up to a length history could keep). */
  #holdsSecret(line: string): boolean {
    const mask = this.masksAfter;
    if (!mask || line.length > HISTORY_LINE_BYTES) return false;
    for (let i = 0; i < line.length; i++) if (mask(line.slice(0, i))) return true;
    return false;
  }

  #enqueue(event: LineEvent): void {
    this.#promptShown = false;
    if (this.#queue.length >= MAX_QUEUED_LINES) {
      this.#counters.add("console_dropped_lines");
      this.#port.write("ERR busy too many lines queued; line dropped\r\n");
      return;
    }
    this.#queue.push(event);
    if (!this.#busy) void this.#drain().catch(() => {});
  }

  /** Runs queued lines; synchronous commands run at once, a slow one holds the queue until it is done. */
  async #drain(): Promise<void> {
    this.#busy = true;
    while (this.#queue.length > 0) {
      const event = this.#queue.shift()!;
      if ("overflow" in event) this.#fail(new ConsoleError("line-too-long", `line of ${event.overflow} bytes exceeds the maximum of ${MAX_LINE_BYTES}; ignored`));
      else {
        const pending = this.execute(event.line);
        if (pending) await pending;
      }
      this.#showPrompt();
    }
    this.#busy = false;
  }

  #fail(error: unknown): void {
    this.#counters.add("console_errors");
    this.#port.write(`ERR ${errorCode(error)} ${oneLine(String((error as Error)?.message ?? error))}\r\n`);
  }

  #showPrompt(): void {
    if (!this.#port.interactive) return;
    this.#port.write(this.#prompt);
    this.#promptShown = true;
  }

  /**
   * The registered name a typo most likely meant: the shortest one that
   * starts with it (2 letters at least: "ver" is "version"), else the closest
   * (edit distance at most 2).
   */
  #nearest(name: string): string | undefined {
    if (name.length >= 2) {
      const prefixed = [...this.#commands.keys()].filter((candidate) => candidate.startsWith(name)).sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
      if (prefixed.length > 0) return prefixed[0];
    }
    let best: string | undefined;
    let bestDistance = 3;
    for (const candidate of this.#commands.keys()) {
      const d = editDistance(name, candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return best;
  }
}

/** The `ERR` code of an error (modules/errors.ts: the one vocabulary of console and MQTT codes). */
export { errorCode };

/** Levenshtein distance, for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

/** Keeps a reply on one line: control characters would break line-based scripts or drive the terminal. */
function oneLine(text: string): string {
  return escapeControls(text);
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
