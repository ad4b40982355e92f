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

  constructor(dir: string) {
    this.#dir = dir;
    mkdirSync(dir, { recursive: true });
  }

  read(key: string): Uint8Array | undefined {
    checkKey(key);
    try {
      return new Uint8Array(readFileSync(join(this.#dir, key)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  write(key: string, value: Uint8Array): void {
    checkKey(key);
    if (value.byteLength > STORAGE_VALUE_MAX) throw new RangeError(`storage value for "${key}" is ${value.byteLength} bytes; max ${STORAGE_VALUE_MAX}`);
    const fd = openSync(join(this.#dir, key), "w");
    try {
      writeSync(fd, value);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  delete(key: string): void {
    checkKey(key);
    rmSync(join(this.#dir, key), { force: true });
  }

  keys(): string[] {
    return readdirSync(this.#dir).filter((name) => KEY.test(name)).sort();
  }
}

function checkKey(key: string): void {
  if (!KEY.test(key)) throw new RangeError(`storage key "${key}" must be 1-${STORAGE_KEY_MAX} of A-Z a-z 0-9 . _ -`);
}
