import { storageError } from "./errors.js";

/**
 * What the node knows about its flash: `ok`, or the last write it refused,
 * in plain words (errors.ts `storageError`). The boot probe (the boot-count
 * write, made on every boot anyway) and failed config writes report here;
 * `status` shows `describe()`.
 */
export class StorageHealth {
  #fault: string | undefined;

  /** Records a refused write of `action`; returns the plain message. */
  fault(action: string, error: unknown): string {
    this.#fault = `flash refuses writes: ${storageError(action, error).message}`;
    return this.#fault;
  }

  /** Undefined while healthy. */
  get problem(): string | undefined {
    return this.#fault;
  }

  /** `ok`, or the last refused write. */
  describe(): string {
    return this.#fault ?? "ok";
  }
}
