/**
 * ECMA-419 Serial for the simulator over a real serial device or one end of
 * a pseudo-terminal pair (`--serial PATH`), with plain `node:fs`/`node:tty`:
 * the line settings go through `stty` (best effort: a pty ignores baud and
 * parity), bytes arrive through a tty ReadStream and are handed to
 * `onReadable`, writes go out with a non-blocking `writeSync`.
 */
import { execFileSync } from "node:child_process";
import { constants, openSync, writeSync } from "node:fs";
import { ReadStream } from "node:tty";
import type { SerialIO, SerialOptions } from "../../modules/platform.js";

/** The `stty` arguments for the options: raw 8-bit, baud, parity, stop bits. */
export function sttyArguments(path: string, options: SerialOptions): string[] {
  const parity = options.parity ?? "none";
  return [
    "-F", path, String(options.baud), "raw", "-echo", "cs8",
    parity === "none" ? "-parenb" : "parenb", parity === "odd" ? "parodd" : "-parodd",
    options.stopBits === 2 ? "cstopb" : "-cstopb", "clocal", "-crtscts",
  ];
}

/** A Serial class bound to `path`. The constructor throws (with the path) when the device cannot be opened. */
export function nodeSerialClass(path: string): new (options: SerialOptions) => SerialIO {
  return class NodeSerial implements SerialIO {
    /** A USB adapter hands bytes over in chunks up to its latency timer apart (16 ms on FTDI's default); a pty, as the event loop runs. */
    readonly latencyMs = 20;
    #fd: number;
    #stream: ReadStream;
    #pending: Buffer[] = [];
    #open = true;
    constructor(options: SerialOptions) {
      try {
        execFileSync("stty", sttyArguments(path, options), { stdio: "ignore" });
      } catch {
        // Not every device takes every setting (a pty has no baud rate); the bytes still flow.
      }
      try {
        this.#fd = openSync(path, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
      } catch (error) {
        throw new Error(`serial ${path}: ${(error as Error).message}`);
      }
      this.#stream = new ReadStream(this.#fd);
      this.#stream.on("data", (chunk: Buffer) => {
        if (!this.#open) return;
        this.#pending.push(chunk);
        options.onReadable?.(chunk.length);
      });
      this.#stream.on("error", () => this.close());
    }
    read(): ArrayBuffer | undefined {
      const chunk = this.#pending.shift();
      if (!chunk) return undefined;
      return chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.byteLength) as ArrayBuffer;
    }
    write(buffer: ArrayBufferView | ArrayBuffer): void {
      if (!this.#open) throw new Error(`serial ${path}: closed`);
      const bytes = buffer instanceof ArrayBuffer ? new Uint8Array(buffer) : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      const written = writeSync(this.#fd, bytes);
      if (written !== bytes.length) throw new Error(`serial ${path}: wrote ${written} of ${bytes.length} bytes`);
    }
    close(): void {
      if (!this.#open) return;
      this.#open = false;
      this.#stream.destroy(); // closes the fd too
    }
  };
}
