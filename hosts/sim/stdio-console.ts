import type { ConsolePort } from "../../modules/platform.js";

/**
 * The console on the simulator's own stdin/stdout, like a serial monitor.
 * On a terminal, stdin goes raw so the firmware does echo and editing, as
 * it does over a real UART; piped input is passed through as it comes.
 */
export class StdioConsole implements ConsolePort {
  readonly interactive: boolean;
  #receiver: ((bytes: Uint8Array) => void) | undefined;
  #listening = false;
  #onData = (chunk: Buffer) => {
    // Raw mode swallows Ctrl-C; on the simulator it still means "stop the node".
    if (this.interactive && chunk.includes(0x03)) process.kill(process.pid, "SIGINT");
    else this.#receiver?.(new Uint8Array(chunk));
  };

  constructor() {
    this.interactive = Boolean(process.stdin.isTTY);
  }

  onReceive(receiver: (bytes: Uint8Array) => void): void {
    this.#receiver = receiver;
    if (this.#listening) return;
    this.#listening = true;
    if (this.interactive) process.stdin.setRawMode(true);
    process.stdin.on("data", this.#onData);
    process.stdin.resume();
  }

  write(text: string): void {
    process.stdout.write(text);
  }

  writeBytes(bytes: Uint8Array): void {
    process.stdout.write(bytes);
  }

  /** Gives the terminal back and lets the process exit. */
  close(): void {
    this.#listening = false;
    process.stdin.off("data", this.#onData);
    if (this.interactive) process.stdin.setRawMode(false);
    process.stdin.pause();
  }
}
