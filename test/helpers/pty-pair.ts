/**
 * A pseudo-terminal pair from socat (`socat -d -d pty,raw,echo=0
 * pty,raw,echo=0`): two tty paths wired back to back, like a null-modem
 * cable, for tests that put an independent peer on one end.
 */
import { spawn, type ChildProcess } from "node:child_process";

export interface PtyPair {
  a: string;
  b: string;
  close(): void;
}

/** Starts socat and resolves with both paths; rejects after `timeoutMs` (default 10 s) or when socat fails. */
export function ptyPair(timeoutMs = 10_000): Promise<PtyPair> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn("socat", ["-d", "-d", "pty,raw,echo=0", "pty,raw,echo=0"], { stdio: ["ignore", "ignore", "pipe"] });
    const paths: string[] = [];
    let text = "";
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`socat gave no pty pair in ${timeoutMs} ms: ${text}`));
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.stderr!.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      for (const match of text.matchAll(/PTY is (\S+)/g)) if (!paths.includes(match[1])) paths.push(match[1]);
      if (paths.length === 2 && /starting data transfer loop/.test(text)) {
        clearTimeout(timer);
        resolve({ a: paths[0], b: paths[1], close: () => void child.kill() });
      }
    });
  });
}
