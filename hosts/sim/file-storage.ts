import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { STORAGE_KEY_MAX, STORAGE_VALUE_MAX, type Storage } from "../../modules/platform.js";

const KEY = /^[A-Za-z0-9._-]{1,15}$/;

/**
 * The node's flash as a directory, one file per key. Like NVS on the board,
 * a write is not atomic (the file is rewritten in place), so power loss
 * (SIGKILL) can leave a torn value: the firmware's records must cope.
 */
export class FileStorage implements Storage {
  #dir: string;
  #syncs: { mark(path: string): void } | undefined;

  /**
   * Creates `dir` when it can; when it cannot, reads find nothing and writes throw (ENOENT, ENOTDIR, ...), which the firmware reports at boot.
   * `deferSync` (a fleet's SyncBatch): writes skip their own fsync and are marked for the batch's (a kill still finds them; see hosts/sim/fleet/sync-batch.ts).
   */
  constructor(dir: string, deferSync?: { mark(path: string): void }) {
    this.#dir = dir;
    this.#syncs = deferSync;
    try {
      mkdirSync(dir, { recursive: true });
    } catch {
      // Reported by the firmware's boot check, not a crash before the console is up.
    }
  }

  read(key: string): Uint8Array | undefined {
    checkKey(key);
    try {
      return new Uint8Array(readFileSync(join(this.#dir, key)));
    } catch (error) {
      if (absent(error)) return undefined;
      throw error;
    }
  }

  write(key: string, value: Uint8Array): void {
    checkKey(key);
    if (value.byteLength > STORAGE_VALUE_MAX) throw new RangeError(`storage value for "${key}" is ${value.byteLength} bytes; max ${STORAGE_VALUE_MAX}`);
    const path = join(this.#dir, key);
    const fd = openSync(path, "w");
    try {
      writeSync(fd, value);
      if (this.#syncs) this.#syncs.mark(path);
      else fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  delete(key: string): void {
    checkKey(key);
    rmSync(join(this.#dir, key), { force: true });
  }

  keys(): string[] {
    try {
      return readdirSync(this.#dir).filter((name) => KEY.test(name)).sort();
    } catch (error) {
      if (absent(error)) return [];
      throw error;
    }
  }
}

/** The key (or the whole dir) does not exist: nothing stored. */
function absent(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR";
}

function checkKey(key: string): void {
  if (!KEY.test(key)) throw new RangeError(`storage key "${key}" must be 1-${STORAGE_KEY_MAX} of A-Z a-z 0-9 . _ -`);
}
