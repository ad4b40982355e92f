import { spawn, type ChildProcess } from "node:child_process";
import type { ConsolePort } from "../../modules/platform.js";

/**
 * The pseudo-terminal helper: opens a pty pair, puts the terminal side in raw
 * mode (the firmware does echo and editing, as over a UART), prints its path
 * on stderr, then relays bytes between the pty and its stdin/stdout. Output
 * nobody reads is dropped, like a UART with nothing attached.
 */
const HELPER = `
import os, sys, tty, select
m, s = os.openpty()
tty.setraw(s)
sys.stderr.write("PTY " + os.ttyname(s) + "\\n"); sys.stderr.flush()
os.set_blocking(m, False)
inp, out = sys.stdin.fileno(), sys.stdout.fileno()
while True:
    r, _, _ = select.select([m, inp], [], [])
    if m in r:
        try:
            data = os.read(m, 4096)
        except (BlockingIOError, OSError):
            data = b""
        if data:
            os.write(out, data)
    if inp in r:
        data = os.read(inp, 4096)
        if not data:
            break
        try:
            os.write(m, data)
        except (BlockingIOError, OSError):
            pass
`;

/**
 * The console on a pseudo-terminal, so `screen <path>` or `picocom <path>`
 * attach exactly as to a board's USB serial port. Needs python3 (its `pty`
 * module, POSIX only); `open` rejects with a clear error without it.
 */
export class PtyConsole implements ConsolePort {
  readonly interactive = true;
  /** The terminal's path, e.g. /dev/pts/4. */
  readonly path: string;
  #child: ChildProcess;
  #receiver: ((bytes: Uint8Array) => void) | undefined;

  private constructor(child: ChildProcess, path: string) {
    this.#child = child;
    this.path = path;
    child.stdout!.on("data", (chunk: Buffer) => this.#receiver?.(new Uint8Array(chunk)));
  }

  /** Starts the helper and resolves once the pty exists. */
  static open(python = "python3"): Promise<PtyConsole> {
    if (process.platform === "win32") return Promise.reject(new Error("--console pty needs a POSIX system (Linux, macOS); on Windows use --console stdio or a com0com pair"));
    return new Promise((resolve, reject) => {
      const child = spawn(python, ["-u", "-c", HELPER], { stdio: ["pipe", "pipe", "pipe"] });
      let errText = "";
      const fail = (message: string) => {
        child.kill();
        reject(new Error(message));
      };
      child.on("error", (error: NodeJS.ErrnoException) =>
        fail(error.code === "ENOENT" ? `--console pty needs ${python} (its pty module) on PATH, and it was not found; install python3 or use --console stdio` : `--console pty: cannot start ${python}: ${error.message}`),
      );
      child.on("exit", (code) => fail(`--console pty: the pty helper (${python}) exited with code ${code}${errText ? `: ${errText.trim().split("\n").pop()}` : ""}`));
      child.stderr!.setEncoding("utf8");
      child.stderr!.on("data", (text: string) => {
        errText += text;
        const match = /^PTY (\S+)$/m.exec(errText);
        if (match) {
          child.removeAllListeners("exit");
          resolve(new PtyConsole(child, match[1]));
        }
      });
    });
  }

  onReceive(receiver: (bytes: Uint8Array) => void): void {
    this.#receiver = receiver;
  }

  write(text: string): void {
    if (this.#child.stdin?.writable) this.#child.stdin.write(text);
  }

  writeBytes(bytes: Uint8Array): void {
    if (this.#child.stdin?.writable) this.#child.stdin.write(bytes);
  }

  /** Closes the pty (the attached terminal sees it go away). */
  close(): void {
    this.#child.stdin?.end();
    this.#child.kill();
  }
}
