/**
 * Doubles of the OTA port members for tests (XS-safe: no Node built-ins):
 * two slots in RAM with ESP-IDF's app-rollback rules, and an HTTP client the
 * test feeds by hand.
 */
import type { HttpClient, HttpGetHandlers, OtaSlots } from "../../modules/platform.js";

/**
 * Two slots and the boot selection, as ESP-IDF keeps them: `end()` selects
 * the written slot as "new"; `bootloader()` (a power-up) turns "new" into
 * "pending verify", and a second power-up while still pending boots the
 * previous slot (rolled back).
 */
export class MemoryOtaSlots implements OtaSlots {
  readonly slotBytes: number;
  versions: [string, string];
  images: [Uint8Array, Uint8Array] = [new Uint8Array(0), new Uint8Array(0)];
  active = 0;
  /** "new" after end(), "pending" after the next power-up, undefined when confirmed. */
  trial?: "new" | "pending";
  rolledBack = false;
  restarts = 0;
  #open?: { slot: number; bytes: Uint8Array; at: number; version: string };

  constructor(slotBytes: number, version: string) {
    this.slotBytes = slotBytes;
    this.versions = [version, version];
  }

  /** Whether a slot is open for writing. */
  get writing(): boolean {
    return this.#open !== undefined;
  }

  begin(bytes: number, version: string): void {
    if (bytes > this.slotBytes) throw new RangeError(`${bytes} bytes exceed the slot`);
    this.#open = { slot: 1 - this.active, bytes: new Uint8Array(bytes), at: 0, version };
  }

  write(chunk: Uint8Array): void {
    const open = this.#open;
    if (!open) throw new Error("no slot open");
    if (open.at + chunk.byteLength > open.bytes.byteLength) throw new RangeError("write past the image size");
    open.bytes.set(chunk, open.at);
    open.at += chunk.byteLength;
  }

  end(): void {
    const open = this.#open;
    if (!open || open.at !== open.bytes.byteLength) throw new Error("image incomplete");
    this.images[open.slot] = open.bytes;
    this.versions[open.slot] = open.version;
    this.active = open.slot;
    this.trial = "new";
    this.#open = undefined;
  }

  abort(): void {
    this.#open = undefined;
  }

  pendingConfirm(): boolean {
    return this.trial === "pending";
  }

  confirm(): void {
    this.trial = undefined;
  }

  rollback(): void {
    this.active = 1 - this.active;
    this.trial = undefined;
    this.rolledBack = true;
    this.restarts++;
  }

  runningVersion(): string {
    return this.versions[this.active];
  }

  /** A power-up: what the ESP-IDF bootloader does with a slot on trial. */
  bootloader(): void {
    this.#open = undefined;
    if (this.trial === "new") this.trial = "pending";
    else if (this.trial === "pending") {
      this.active = 1 - this.active;
      this.trial = undefined;
      this.rolledBack = true;
    }
  }
}

/** An HTTP client whose one transfer the test drives (`chunk`, `done`, `error`). */
export class ManualHttp implements HttpClient {
  url?: string;
  handlers?: HttpGetHandlers;
  aborted = 0;

  get(url: string, handlers: HttpGetHandlers): { abort(): void } {
    this.url = url;
    this.handlers = handlers;
    return { abort: () => { this.aborted++; this.handlers = undefined; } };
  }

  /** Sends `bytes` in pieces of `size`. */
  send(bytes: Uint8Array, size = 100): void {
    for (let at = 0; at < bytes.byteLength && this.handlers; at += size) this.handlers.onChunk(bytes.slice(at, at + size));
  }
}
