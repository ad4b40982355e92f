import Serial from "embedded:io/serial";
import type { ConsolePort } from "../../modules/platform.js";

/** UART settings of the console: UART0 on the pins of the USB bridge by default. */
export interface UartOptions {
  /** UART number; 0 is the USB-serial bridge on ESP32 devkits. */
  port: number;
  /** TX pin (GPIO 1 for UART0). */
  transmit: number;
  /** RX pin (GPIO 3 for UART0). */
  receive: number;
  baud: number;
  /** Whether the firmware echoes and prompts (a person at a terminal). */
  interactive: boolean;
}

/** UART0 at 115200 baud, echoing: what a technician's terminal expects. */
export const UART0_DEFAULTS: UartOptions = Object.freeze({ port: 0, transmit: 1, receive: 3, baud: 115_200, interactive: true });

/** Bytes of output held while the UART FIFO is full; beyond it text is dropped and counted. */
const OUTPUT_QUEUE_MAX = 4096;

/** The ESP32 UART transmit FIFO: what the first write may take before `onWritable` says more. */
const TX_FIFO_BYTES = 128;

/** A console port that also says how much output it had to drop. */
export interface BoardConsole extends ConsolePort {
  /** "uart" when it owns the UART, "trace" when it fell back to `trace()`. */
  readonly kind: "uart" | "trace";
  /** Bytes of output dropped because the queue was full. */
  readonly droppedBytes: number;
}

/**
 * The console on an ECMA-419 `embedded:io/serial` UART. Incoming bytes go to
 * the receiver as they arrive (`onReadable`); output is encoded as UTF-8 and
 * queued (at most 4,096 bytes, newest text dropped beyond that), then
 * written as the transmit FIFO drains (`onWritable`).
 *
 * Throws what the Serial constructor throws, notably `RangeError("port in
 * use")` on UART0 in a debug build, where xsbug owns it: use
 * `createConsole`, which falls back to `trace()` then.
 */
export class UartConsole implements BoardConsole {
  readonly kind = "uart";
  readonly interactive: boolean;
  readonly #serial: Serial;
  readonly #queue: Uint8Array[] = [];
  #queued = 0;
  #offset = 0;
  #writable = TX_FIFO_BYTES;
  #receiver: ((bytes: Uint8Array) => void) | undefined;
  #dropped = 0;

  constructor(options: UartOptions) {
    this.interactive = options.interactive;
    this.#serial = new Serial({
      port: options.port,
      transmit: options.transmit,
      receive: options.receive,
      baud: options.baud,
      format: "buffer",
      onReadable: (count: number) => this.#onReadable(count),
      onWritable: (count: number) => {
        this.#writable = count;
        this.#pump();
      },
    });
  }

  get droppedBytes(): number {
    return this.#dropped;
  }

  onReceive(receiver: (bytes: Uint8Array) => void): void {
    this.#receiver = receiver;
  }

  write(text: string): void {
    this.writeBytes(new Uint8Array(ArrayBuffer.fromString(text)));
  }

  /** Queues raw bytes (Improv packets) like text: dropped and counted when the queue is full. */
  writeBytes(bytes: Uint8Array): void {
    if (this.#queued + bytes.byteLength > OUTPUT_QUEUE_MAX) {
      this.#dropped += bytes.byteLength;
      return;
    }
    this.#queue.push(bytes.slice());
    this.#queued += bytes.byteLength;
    this.#pump();
  }

  #onReadable(count: number): void {
    const data = this.#serial.read(count);
    if (!(data instanceof ArrayBuffer) || data.byteLength === 0) return;
    try {
      this.#receiver?.(new Uint8Array(data));
    } catch {
      // The port promises receivers never throw; a bug there must not kill the UART callback.
    }
  }

  #pump(): void {
    while (this.#queue.length > 0 && this.#writable > 0) {
      const head = this.#queue[0]!;
      const length = Math.min(head.byteLength - this.#offset, this.#writable);
      try {
        this.#serial.write(head.subarray(this.#offset, this.#offset + length));
      } catch {
        this.#writable = 0;
        return;
      }
      this.#writable -= length;
      this.#offset += length;
      this.#queued -= length;
      if (this.#offset === head.byteLength) {
        this.#queue.shift();
        this.#offset = 0;
      }
    }
  }
}

/**
 * Output through `trace()` (xsbug in a debug build, stdout under mcsim), no
 * input: the console of a debug build, whose UART0 belongs to xsbug.
 */
export class TraceConsole implements BoardConsole {
  readonly kind = "trace";
  readonly interactive = false;
  readonly droppedBytes = 0;

  onReceive(_receiver: (bytes: Uint8Array) => void): void {}

  write(text: string): void {
    trace(text);
  }
}

/**
 * The UART console when `options` is given and the UART can be opened, else
 * the trace console (and `onFallback` hears why).
 */
export function createConsole(options: UartOptions | undefined, onFallback: (reason: string) => void): BoardConsole {
  if (options === undefined) return new TraceConsole();
  try {
    return new UartConsole(options);
  } catch (error) {
    onFallback(`UART${options.port} unavailable (${String(error)}): console output goes to trace, no input`);
    return new TraceConsole();
  }
}
