import type { Tap } from "../../../modules/edge/reading-taps.js";

/** Points per channel and tap kept for a new client's snapshot. */
export const LOCAL_POINTS_MAX = 300;
/** Points waiting for the next send; beyond it the newest are dropped and counted (a --speed 10000 run makes thousands a second). */
export const LOCAL_PENDING_MAX = 4000;
/** Console lines kept for a new client, and the longest line sent (longer ones are cut, marked …). */
export const CONSOLE_LINES_MAX = 200;
export const CONSOLE_LINE_CHARS = 512;

/** One point of a local node: [time s, value or null (bad), quality or null (good)]. */
export type LocalPoint = [time: number, value: number | null, quality: string | null];

/** What a simulator node in this process offers the page beyond MQTT: its console and its faults. */
export interface LocalNode {
  /** The node id the points and the console belong to (it may change at a reboot). */
  node: string;
  /** Fault targets (chips and channels) and kinds for the fault buttons (`sim fault <target> <kind>`). */
  faultTargets: readonly string[];
  faultKinds: readonly string[];
}

/** What a client gets about the local node in its snapshot and in each `local` message. */
export interface LocalSnapshot extends LocalNode {
  points: Record<string, Partial<Record<Tap, LocalPoint[]>>>;
}

/**
 * The simulator's own node as the dashboard sees it in process: raw and
 * filtered points (NodeHandle.observe) that no board sends over MQTT, and its
 * console's lines. Points are batched and sent every `flush` (the server's
 * timer), so a fast run costs one message per period and client, not one per
 * reading; the pending batch is bounded (LOCAL_PENDING_MAX, overflow counted
 * in `dropped`). Console output is cleaned of terminal control sequences
 * (prompt redraws) and control characters before any client sees it.
 */
export class LocalFeed {
  dropped = 0;
  #info: LocalNode | undefined;
  #infoChanged = false;
  #points = new Map<string, Partial<Record<Tap, LocalPoint[]>>>();
  #pending: { n: string; k: Tap; p: LocalPoint }[] = [];
  #lines: string[] = [];
  #pendingLines: string[] = [];
  #partial = "";

  /** The local node (its id changes with a rename at a reboot: the points start afresh then). */
  get info(): LocalNode | undefined {
    return this.#info;
  }

  set info(info: LocalNode | undefined) {
    if (info?.node !== this.#info?.node) this.reset();
    this.#info = info;
    this.#infoChanged = true;
  }

  /** One reading of the local node at `tap` (reported points come over MQTT; only raw and filtered are kept here). */
  point(tap: Tap, channel: string, point: LocalPoint): void {
    if (tap === "reported") return;
    let taps = this.#points.get(channel);
    if (!taps) {
      if (this.#points.size >= 64) return;
      this.#points.set(channel, (taps = {}));
    }
    const series = (taps[tap] ??= []);
    series.push(point);
    if (series.length > LOCAL_POINTS_MAX) series.shift();
    if (this.#pending.length >= LOCAL_PENDING_MAX) {
      this.dropped++;
      return;
    }
    this.#pending.push({ n: channel, k: tap, p: point });
  }

  /** Text the node's console wrote (replies, prompt, echo) or a whole log line; split into clean lines. */
  text(chunk: string): void {
    const clean = `${this.#partial}${chunk}`.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").replace(/\r\n?/g, "\n");
    const parts = clean.split("\n");
    this.#partial = parts.pop() ?? "";
    if (this.#partial.length > CONSOLE_LINE_CHARS) {
      parts.push(this.#partial);
      this.#partial = "";
    }
    for (const part of parts) {
      let line = part.replace(/[\u0000-\u001f\u007f-\u009f]/g, "");
      if (line.length > CONSOLE_LINE_CHARS) line = `${line.slice(0, CONSOLE_LINE_CHARS)}…`;
      if (line === "" || line === ">" || line === "> ") continue;
      this.#lines.push(line);
      if (this.#lines.length > CONSOLE_LINES_MAX) this.#lines.shift();
      if (this.#pendingLines.length < CONSOLE_LINES_MAX) this.#pendingLines.push(line);
    }
  }

  /** The local node's state for a new client (undefined without one). */
  snapshot(): (LocalSnapshot & { console: string[] }) | undefined {
    if (!this.#info) return undefined;
    return { ...this.#info, points: Object.fromEntries(this.#points), console: [...this.#lines] };
  }

  /** What arrived since the last call, as one message (undefined when nothing did). */
  take(): { t: "local"; info?: LocalNode; points: { n: string; k: Tap; p: LocalPoint }[]; console: string[] } | undefined {
    if (this.#pending.length === 0 && this.#pendingLines.length === 0 && !this.#infoChanged) return undefined;
    const message = { t: "local" as const, info: this.#infoChanged ? this.#info : undefined, points: this.#pending, console: this.#pendingLines };
    this.#infoChanged = false;
    this.#pending = [];
    this.#pendingLines = [];
    return message;
  }

  /** Forgets the points (a reboot under another id, or a new channel set). */
  reset(): void {
    this.#points.clear();
    this.#pending = [];
  }
}
