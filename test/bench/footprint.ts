/**
 * The memory table of `npm run bench`: the firmware's footprint inside the
 * XS engine (through `runOnXS`), beside the empty harness measured in the
 * same run, and the ESP32's fixed XS heap from manifest.json.
 *
 * Importing this file hardens the process's intrinsics (see test/helpers/xs.ts):
 * import it last.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runOnXS, type XsFootprint } from "../helpers/xs.js";

/** Bytes per XS slot on the 32-bit ESP32 (32 on the 64-bit host that measures). */
const SLOT_BYTES_ESP32 = 16;

const ENTRY = "test/xs/entries/footprint-node.ts";
const BASELINE = "test/xs/entries/harness-probe.ts";

/** XS creation sizes the ESP32 build fixes (manifest.json, platforms.esp32.creation); undefined when unreadable. */
export function esp32Creation(): { slots: number; chunkBytes: number; growth: boolean } | undefined {
  try {
    const manifest = JSON.parse(readFileSync(fileURLToPath(new URL("../../../manifest.json", import.meta.url)), "utf8"));
    const creation = manifest.platforms.esp32.creation;
    const slots = Number(creation.heap.initial);
    const chunkBytes = Number(creation.chunk.initial);
    if (!(slots > 0 && chunkBytes > 0)) return undefined;
    return { slots, chunkBytes, growth: Number(creation.heap.incremental) > 0 || Number(creation.chunk.incremental) > 0 };
  } catch {
    return undefined;
  }
}

type Row = Record<string, string | number>;

/**
 * Boots the firmware on XS (its storage announcing `capacityBytes`, when
 * given, as the ESP32's does), runs it connected and then with the broker
 * away, with a row at each of `awayMinutes` (cumulative), and tabulates.
 */
export async function footprintTable(awayMinutes: number[], capacityBytes?: number): Promise<{ rows: Row[]; notes: string[] }> {
  const probe = await runOnXS(BASELINE);
  let empty: XsFootprint;
  try {
    empty = await probe.footprint();
  } finally {
    await probe.close();
  }
  const run = await runOnXS(ENTRY, { timeoutMs: 300_000 });
  const rows: Row[] = [];
  const notes: string[] = [];
  try {
    /** Virtual time in steps of 10 s: one long command would exceed xsnap's computation meter. */
    const advance = async (ms: number) => {
      for (let done = 0; done < ms; done += 10_000) await run.command("run", Math.min(10_000, ms - done));
    };
    let loadedSlots = empty.slots;
    const row = async (state: string, booted: boolean) => {
      const now = await run.footprint();
      const flash = await run.command<{ bytes: number }>("flash");
      const outbox = booted ? await run.command<string>("outbox") : "-";
      const running = now.slots - loadedSlots;
      rows.push({
        state,
        "XS slots": now.slots,
        "− baseline": now.slots - empty.slots,
        "− loaded": booted ? running : "-",
        "− loaded, B at 16 B/slot": booted ? running * SLOT_BYTES_ESP32 : "-",
        "snapshot B": now.snapshotBytes,
        "snapshot − baseline": now.snapshotBytes - empty.snapshotBytes,
        "sim. flash B": flash.bytes,
        outbox: outbox.replace(/ on flash|, torn \d+|, rejected \d+/g, ""),
      });
      return now.slots;
    };
    rows.push({ state: "baseline: empty harness", "XS slots": empty.slots, "− baseline": 0, "− loaded": "-", "− loaded, B at 16 B/slot": "-", "snapshot B": empty.snapshotBytes, "snapshot − baseline": 0, "sim. flash B": "-", outbox: "-" });
    loadedSlots = await row("firmware loaded, not booted", false);
    await run.command("boot", capacityBytes);
    await advance(60_000);
    const connected = (await row("booted, connected, 60 s, all acked", true)) - loadedSlots;
    await run.command("broker-away");
    let away = 0;
    let done = 0;
    for (const minutes of awayMinutes) {
      await advance((minutes - done) * 60_000);
      done = minutes;
      away = Math.max(away, (await row(`then ${minutes < 60 ? `${minutes} min` : `${minutes / 60} h`} with the broker away`, true)) - loadedSlots);
    }
    const budget = esp32Creation();
    if (budget) {
      rows.push({
        state: `ESP32 heap (manifest.json creation${budget.growth ? "" : ", no growth"})`,
        "XS slots": budget.slots, "− baseline": "-", "− loaded": "-", "− loaded, B at 16 B/slot": budget.slots * SLOT_BYTES_ESP32,
        "snapshot B": "-", "snapshot − baseline": "-", "sim. flash B": "-", outbox: "-",
      });
      const worst = Math.max(connected, away);
      notes.push(`margin: running cost at the worst state measured ${worst} of ${budget.slots} slots, ${budget.slots - worst} left (${Math.round((100 * (budget.slots - worst)) / budget.slots)} %); chunk heap (strings, buffers) ${budget.chunkBytes} B, ${budget.growth ? "may grow" : "fixed"}.`);
    } else notes.push("manifest.json has no readable platforms.esp32.creation: no budget row.");
  } finally {
    await run.close();
  }
  return {
    rows,
    notes: [
      ...notes,
      "slots: live after a full GC, counted by xsnap on this host (32 B each here, 16 B on the ESP32); snapshot: slots and chunks, builtins included.",
      "loaded − baseline is the bundle (firmware, cbor-x, test platform, chip models) evaluated at run time; on the board modules are preloaded into flash, so − loaded is what running costs in RAM there.",
      "sim. flash (config, outbox segments) lives in the guest's RAM here and is in the snapshot; on the board it is flash.",
    ],
  };
}
