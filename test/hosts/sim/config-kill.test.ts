import test from "ava";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigService } from "../../../modules/config/config-service.js";
import { FileStorage } from "../../../hosts/sim/file-storage.js";
import { seededRandom } from "../../helpers/seeded-random.js";

const MAIN = fileURLToPath(new URL("../../../hosts/sim/main.js", import.meta.url));
const KILLS = 52;

/** One power cut: boots the sim, saves site s<base+i> in a loop, SIGKILLs it after `delayMs`. Resolves with the last acknowledged save. */
function runUntilKilled(dir: string, base: number, delayMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, "--state", dir, "--broker", "mqtt://127.0.0.1:1"], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let acked = -1;
    let pendingSite = -1;
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (text: string) => {
      out += text;
      let m;
      const re = /node.site = s(\d+)[^\n]*\n(?:.*\n)*?saved generation \d+\r?\n/g;
      while ((m = re.exec(out))) pendingSite = Number(m[1]);
      acked = pendingSite;
      if (!timer) timer = setTimeout(() => child.kill("SIGKILL"), delayMs);
    });
    child.on("error", reject);
    child.on("exit", () => resolve(acked));
    let i = 0;
    const feed = () => {
      if (!child.stdin.writable) return;
      const lines = [];
      for (let k = 0; k < 20; k++, i++) lines.push(`set node.site s${base + i}\nsave\n`);
      child.stdin.write(lines.join(""), () => setImmediate(feed));
    };
    child.stdin.on("error", () => {});
    feed();
  });
}

test(`SIGKILL during repeated saves (${KILLS} times): the config is always the old or the new one`, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "fieldnode-kill-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const rand = seededRandom(42);
  let lastAcked = -1;
  let maxSent = 0;
  let recoveries = 0;
  for (let round = 0; round < KILLS; round++) {
    const base = round * 100_000;
    const acked = await runUntilKilled(dir, base, Math.floor(rand() * 120));
    maxSent = base + 100_000;
    const service = new ConfigService(new FileStorage(dir), "hw");
    if (service.loaded.notes.length > 0) recoveries++;
    t.is(service.loaded.source, lastAcked < 0 && acked < 0 ? service.loaded.source : "record", `round ${round}: ${service.loaded.notes.join("; ")}`);
    const site = String(service.get("node.site").value);
    if (site === "") continue;
    const n = Number(site.slice(1));
    t.regex(site, /^s\d+$/, `round ${round}`);
    t.true(n >= Math.max(lastAcked, acked), `round ${round}: loaded s${n}, but s${Math.max(lastAcked, acked)} was acknowledged`);
    t.true(n < maxSent, `round ${round}`);
    lastAcked = n;
  }
  t.log(`${KILLS} kills; ${recoveries} boots found a torn record and fell back to the previous one`);
});
