import test from "ava";
import { spawnSync } from "node:child_process";
import { closeSync, createReadStream, fstatSync, mkdtempSync, openSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ptyPair } from "./pty-pair.js";
import { openTerminal } from "./terminal.js";

const hasSocat = spawnSync("socat", ["-V"]).status === 0;
const socatTest = hasSocat ? test.serial : (title: string) => test.skip(`${title} (SKIPPED: socat not installed)`, () => undefined);

/** Opens a fresh file: it gets the lowest free descriptor number, as the next test's child pipes would. */
function reuseDescriptor(): number {
  const file = join(mkdtempSync(join(tmpdir(), "fieldnode-term-")), "other");
  writeFileSync(file, "x");
  return openSync(file, "r");
}

/** True while `fd` is still open (nobody else closed it). */
function stillOpen(fd: number): boolean {
  try {
    fstatSync(fd);
    return true;
  } catch {
    return false;
  }
}

/** The far end goes away; waits until the blocked reads it ends have returned. */
async function hangUp(pair: { close(): void }): Promise<void> {
  pair.close();
  await new Promise((r) => setTimeout(r, 500));
}

socatTest("terminal: after close() the descriptor number can be reused safely, even when the far end hangs up later", async (t) => {
  const pair = await ptyPair();
  const peer = openTerminal(pair.b);
  const seen: Buffer[] = [];
  const terminal = openTerminal(pair.a, (chunk) => seen.push(chunk));
  peer.write("hello");
  for (let i = 0; i < 200 && Buffer.concat(seen).toString() !== "hello"; i++) await new Promise((r) => setTimeout(r, 25));
  t.is(Buffer.concat(seen).toString(), "hello");
  await terminal.close();
  await peer.close();
  const other = reuseDescriptor();
  await hangUp(pair);
  t.true(stillOpen(other), "the next owner of the descriptor number keeps it");
  closeSync(other);
});

// What the pty tests did before (kept as the proof of the race above): a thread-pool read stream with
// autoClose false, destroyed, and the fd closed by hand. The read blocked on the terminal returns only
// when the far end hangs up; then destroy() closes the fd number once more, whoever owns it by then.
socatTest("terminal: createReadStream({ fd }) destroyed and closed by hand closes the next owner's descriptor (why openTerminal exists)", async (t) => {
  const pair = await ptyPair();
  const fd = openSync(pair.a, "r+");
  const reader = createReadStream("", { fd, autoClose: false });
  reader.on("data", () => {});
  reader.on("error", () => {});
  await new Promise((r) => setTimeout(r, 100));
  reader.destroy();
  closeSync(fd);
  const other = reuseDescriptor();
  pair.close();
  for (let i = 0; i < 400 && stillOpen(other); i++) await new Promise((r) => setTimeout(r, 50));
  t.false(stillOpen(other), "the late close hit the reused descriptor");
});
