import test from "ava";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { SIM_SLOT_BYTES } from "../../../hosts/sim/file-ota.js";
import { repoRoot } from "../../helpers/source-files.js";

const rows = readFileSync(join(repoRoot, "hosts/esp32/partitions.csv"), "utf8").split("\n")
  .filter((line) => line.trim() !== "" && !line.startsWith("#"))
  .map((line) => line.split(",").map((cell) => cell.trim()))
  .map(([name, type, subtype, offset, size]) => ({ name, type, subtype, offset: Number(offset), size: Number(size) }));
const byName = new Map(rows.map((row) => [row.name, row]));

test("partitions.csv: nvs, two OTA app slots and otadata fit a 4 MB flash without overlap; apps on 64 KB boundaries", (t) => {
  t.deepEqual(rows.map((r) => r.name), ["nvs", "phy_init", "ota_0", "ota_1", "otadata"]);
  const sorted = [...rows].sort((a, b) => a.offset - b.offset);
  t.true(sorted[0].offset >= 0x9000, "above the bootloader and the table");
  for (let i = 1; i < sorted.length; i++) t.true(sorted[i - 1].offset + sorted[i - 1].size <= sorted[i].offset, `${sorted[i - 1].name} ends before ${sorted[i].name}`);
  const last = sorted.at(-1)!;
  t.true(last.offset + last.size <= 0x400000, "within 4 MB");
  for (const app of rows.filter((r) => r.type === "app")) t.is(app.offset % 0x10000, 0, `${app.name} on a 64 KB boundary`);
  t.is(byName.get("otadata")?.size, 0x2000);
  t.is(byName.get("ota_0")?.size, byName.get("ota_1")?.size);
});

test("partitions.csv: NVS keeps the size the outbox arithmetic and fieldnode.nvs_bytes assume; the simulator's slot is the board's", (t) => {
  const manifest = JSON.parse(readFileSync(join(repoRoot, "manifest.json"), "utf8")) as { platforms: { esp32: { config: Record<string, number> } } };
  t.is(byName.get("nvs")?.size, 0x86000);
  t.is(manifest.platforms.esp32.config["fieldnode.nvs_bytes"], 0x86000);
  t.is(byName.get("ota_0")?.size, SIM_SLOT_BYTES);
  t.regex(readFileSync(join(repoRoot, "hosts/esp32/ota-slots.ts"), "utf8"), new RegExp(`APP_SLOT_BYTES = 0x${SIM_SLOT_BYTES.toString(16)}\\b`, "i"));
});
