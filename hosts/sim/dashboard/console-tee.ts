import type { ConsolePort } from "../../../modules/platform.js";

/** Page lines waiting while the terminal has a half-typed line; more are refused. */
const WAITING_MAX = 8;

/**
 * The node's console port shared by the terminal and the dashboard, as two
 * hands on one serial line: what the node writes goes to the terminal and to
 * `onOutput`; a line from the page is fed in as if typed (so it runs through
 * the console's own line discipline, queue and commands). A page line waits
 * while the terminal holds a half-typed line (it is sent when that line ends)
 * so the two never merge; at most WAITING_MAX wait.
 */
export class ConsoleTee implements ConsolePort {
  readonly interactive: boolean;
  /** Gets every text the node writes to its console. */
  onOutput: ((text: string) => void) | undefined;
  #inner: ConsolePort;
  #receiver: ((bytes: Uint8Array) => void) | undefined;
  #typing = false;
  #waiting: string[] = [];

  constructor(inner: ConsolePort) {
    this.#inner = inner;
    this.interactive = inner.interactive === true;
  }

  onReceive(receiver: (bytes: Uint8Array) => void): void {
    this.#receiver = receiver;
    this.#inner.onReceive((bytes) => {
      receiver(bytes);
      const last = bytes[bytes.length - 1];
      this.#typing = last !== 0x0a && last !== 0x0d;
      if (!this.#typing) this.#release();
    });
  }

  write(text: string): void {
    this.#inner.write(text);
    this.onOutput?.(text);
  }

  writeBytes(bytes: Uint8Array): void {
    this.#inner.writeBytes?.(bytes);
  }

  /**
   * Types `line` (one line, validated by the caller) into the console; undefined when
   * it went in or waits, else why not.
   */
  type(line: string): string | undefined {
    if (!this.#receiver) return "the console is not running";
    if (this.#waiting.length >= WAITING_MAX) return "the console is busy (a line is being typed on the terminal)";
    this.#waiting.push(line);
    if (!this.#typing) this.#release();
    return undefined;
  }

  #release(): void {
    while (this.#waiting.length > 0 && this.#receiver) this.#receiver(new TextEncoder().encode(`${this.#waiting.shift()}\n`));
  }
}
