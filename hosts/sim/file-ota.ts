import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { OtaSlots } from "../../modules/platform.js";

/** The simulated slot size: the board's 1.69 MB app slots (hosts/esp32/partitions.csv). */
export const SIM_SLOT_BYTES = 0x1b0000;

/** Directory of the slots under the state dir; "+" keeps it out of FileStorage's keys. */
export const SLOT_DIR = "ota+slots";

/** The simulated otadata: which slot boots, its trial state, each slot's version (from the image header). */
interface OtaData {
  active: 0 | 1;
  /** "new": selected, not booted yet; "pending": booted once, not confirmed; absent: confirmed. */
  trial?: "new" | "pending";
  versions: [string | null, string | null];
}

/**
 * The simulator's two firmware slots: files `slot0.bin`, `slot1.bin` and
 * `otadata.json` under `<state>/ota+slots/`. otadata is replaced atomically
 * (write, fsync, rename), as ESP-IDF's two otadata sectors are; a slot file
 * is written while open and only selected by otadata after `end()`, so a
 * SIGKILL at any step leaves a bootable choice. ESP-IDF app rollback rules:
 * `bootloader()` (every boot of the firmware, power-up or restart) turns a
 * "new" slot into "pending", and boots the previous slot when it finds one
 * still "pending" (the new firmware never confirmed). The simulator keeps
 * running the same code: the slot's version is what `runningVersion` tells.
 */
export class FileOtaSlots implements OtaSlots {
  readonly slotBytes: number;
  #dir: string;
  #builtIn: string;
  #open?: { slot: 0 | 1; fd: number; at: number; bytes: number; version: string };
  #restart: () => void;
  /** Set by `bootloader()` when it rolled back on this boot. */
  rolledBack = false;

  /** `builtIn`: the version of the code itself (what slot 0 holds before any update). */
  constructor(stateDir: string, builtIn: string, restart: () => void, slotBytes = SIM_SLOT_BYTES) {
    this.#dir = join(stateDir, SLOT_DIR);
    this.#builtIn = builtIn;
    this.#restart = restart;
    this.slotBytes = slotBytes;
  }

  /** What the bootloader does at each boot (see the class comment). */
  bootloader(): void {
    this.abort();
    const data = this.#read();
    if (data.trial === "new") this.#write({ ...data, trial: "pending" });
    else if (data.trial === "pending") {
      this.#write({ active: data.active === 0 ? 1 : 0, versions: data.versions });
      this.rolledBack = true;
    }
  }

  begin(bytes: number, version: string): void {
    this.abort();
    if (bytes > this.slotBytes) throw new RangeError(`${bytes} bytes exceed the ${this.slotBytes}-byte slot`);
    mkdirSync(this.#dir, { recursive: true });
    const slot = this.#read().active === 0 ? 1 : 0;
    this.#open = { slot, fd: openSync(join(this.#dir, `slot${slot}.bin`), "w"), at: 0, bytes, version };
  }

  write(chunk: Uint8Array): void {
    const open = this.#open;
    if (!open) throw new Error("no slot open");
    if (open.at + chunk.byteLength > open.bytes) throw new RangeError("write past the image size");
    writeSync(open.fd, chunk);
    open.at += chunk.byteLength;
  }

  end(): void {
    const open = this.#open;
    if (!open) throw new Error("no slot open");
    this.#open = undefined;
    fsyncSync(open.fd);
    closeSync(open.fd);
    if (open.at !== open.bytes) throw new Error(`slot holds ${open.at} of ${open.bytes} bytes`);
    const data = this.#read();
    const versions: [string | null, string | null] = [...data.versions];
    versions[open.slot] = open.version;
    this.#write({ active: open.slot, trial: "new", versions });
  }

  abort(): void {
    const open = this.#open;
    this.#open = undefined;
    if (!open) return;
    try {
      closeSync(open.fd);
    } catch {
      // Already closed.
    }
  }

  pendingConfirm(): boolean {
    return this.#read().trial === "pending";
  }

  confirm(): void {
    const data = this.#read();
    if (data.trial !== undefined) this.#write({ active: data.active, versions: data.versions });
  }

  rollback(): void {
    const data = this.#read();
    this.#write({ active: data.active === 0 ? 1 : 0, versions: data.versions });
    this.rolledBack = true;
    this.#restart();
  }

  runningVersion(): string {
    const data = this.#read();
    return data.versions[data.active] ?? this.#builtIn;
  }

  #read(): OtaData {
    try {
      const data = JSON.parse(readFileSync(join(this.#dir, "otadata.json"), "utf8")) as OtaData;
      if ((data.active === 0 || data.active === 1) && Array.isArray(data.versions)) return data;
    } catch {
      // No otadata yet (or unreadable): slot 0, the built-in firmware.
    }
    return { active: 0, versions: [null, null] };
  }

  #write(data: OtaData): void {
    mkdirSync(this.#dir, { recursive: true });
    const temp = join(this.#dir, "otadata.tmp");
    const fd = openSync(temp, "w");
    try {
      writeSync(fd, JSON.stringify(data));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, join(this.#dir, "otadata.json"));
  }
}

/** Removes the slots (tests). */
export function eraseSlots(stateDir: string): void {
  rmSync(join(stateDir, SLOT_DIR), { recursive: true, force: true });
}
