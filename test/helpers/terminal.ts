/**
 * A terminal device (a pty path such as /dev/pts/4) opened as screen or
 * picocom would: reads through `tty.ReadStream` (polled by the event loop),
 * writes with `writeSync`.
 *
 * Why not `fs.createReadStream({ fd })`: its reads are blocking read(2) calls
 * on the thread pool that nothing can cancel, and its `destroy()` closes the
 * fd (autoClose or not) once the pending read returns — on a terminal, only
 * when the other side goes away, i.e. at some later moment. With a
 * `closeSync(fd)` of our own that is a double close: on a loaded machine the
 * late close lands on the same descriptor number reused by the next test's
 * child pipes, which then lose their output, or libuv aborts the process
 * (SIGABRT) when it registers the closed fd with epoll.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { once } from "node:events";
import tty from "node:tty";

/** An open terminal: what it showed so far, a writer, and a close that releases every descriptor exactly once. */
export interface Terminal {
  /** Bytes the terminal received since it was opened. */
  readonly received: Buffer;
  write(data: Uint8Array | string): void;
  /** Stops reading and closes the terminal; resolves once the reader's own descriptor is closed. Idempotent. */
  close(): Promise<void>;
}

/** Opens `path` read/write; throws what `openSync` throws (ENOENT, EACCES). */
export function openTerminal(path: string, onData?: (chunk: Buffer) => void): Terminal {
  const fd = openSync(path, "r+");
  // libuv reopens the device by name for the reader; destroy() closes that one, our fd stays ours to close.
  const reader = new tty.ReadStream(fd);
  // Should the reopen fail, the reader uses our fd itself and its destroy() closes it: then we must not.
  const shared = (reader as unknown as { _handle?: { fd?: number } })._handle?.fd === fd;
  let received = Buffer.alloc(0);
  reader.on("data", (chunk: Buffer) => {
    received = Buffer.concat([received, chunk]);
    onData?.(chunk);
  });
  reader.on("error", () => {});
  let closing: Promise<void> | undefined;
  return {
    get received() {
      return received;
    },
    write(data) {
      if (typeof data === "string") writeSync(fd, data);
      else writeSync(fd, data);
    },
    close() {
      closing ??= (async () => {
        const closed = once(reader, "close");
        reader.destroy();
        await closed;
        if (!shared) closeSync(fd);
      })();
      return closing;
    },
  };
}
