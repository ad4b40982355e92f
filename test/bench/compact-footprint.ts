/**
 * The XS row of `npm run bench` for issue 12 item 4 on the ESP32: the whole
 * node under XS with 8 channels, each compress(5 % of range), at
 * telemetry.batch_size 1000 / max_interval 600 s on seeded signals
 * (test/helpers/compress-node.ts), connected for two full 600-s windows,
 * measured every 10 s (test/helpers/node-footprint.ts,
 * `measureConnectedFootprint`); beside the default config on the same run,
 * and the ESP32's fixed heap from manifest.json: how many such channels it
 * holds when all 8 do not fit.
 *
 * Importing this file hardens the process's intrinsics (see test/helpers/xs.ts):
 * import it last.
 */
import { esp32Creation, measureConnectedFootprint, TLS_HANDSHAKE_CHUNK_BYTES, TLS_HANDSHAKE_SLOTS, type ConnectedFootprint } from "../helpers/node-footprint.js";
import { fmt, type BenchContext, type BenchRow } from "./table.js";

/** "3,300 slots + 384 = 3,684; chunks 58.8 KB + 10 KB" of a run's worst checkpoints. */
function worst(f: ConnectedFootprint): string {
  const slots = f.worstSlots.firmwareSlots;
  return `${fmt(slots)} slots + ${TLS_HANDSHAKE_SLOTS} for a TLS handshake = ${fmt(slots + TLS_HANDSHAKE_SLOTS)}; chunks ${fmt(f.worstChunks.firmwareChunkBytes / 1024, 1)} KB + ${fmt(TLS_HANDSHAKE_CHUNK_BYTES / 1024, 0)} KB`;
}

/** See the file's comment. */
export async function compactFootprintRows(context: BenchContext): Promise<BenchRow[]> {
  const compress = await measureConnectedFootprint({ compress: true });
  const defaults = await measureConnectedFootprint({ compress: false });
  const budget = esp32Creation();
  // The most such channels the ESP32's heaps hold with a TLS handshake's share beside them (fewer channels, same signals and batching).
  const fits = (f: ConnectedFootprint) => budget !== undefined && f.worstSlots.firmwareSlots + TLS_HANDSHAKE_SLOTS <= budget.slots && f.worstChunks.firmwareChunkBytes + TLS_HANDSHAKE_CHUNK_BYTES <= budget.chunkBytes;
  let most = fits(compress) ? 8 : 0;
  let atMost: ConnectedFootprint | undefined;
  for (let channels = 1; most === 0 && channels < 8; channels++) {
    const f = await measureConnectedFootprint({ compress: true, channels });
    if (!fits(f)) {
      most = channels - 1;
      break;
    }
    atMost = f;
  }
  const held = most === 8 ? "all 8 fit" : most === 0 ? "not even 1 such channel fits" : `${most} such channel${most > 1 ? "s" : ""} fit (${atMost ? worst(atMost) : ""})`;
  context.details.log("\nXS memory (xsnap), 8 compress channels at batch_size 1000 / max_interval 600 s, connected, every 10 s:");
  context.details.table(compress.points.map((p) => ({ state: p.state, "firmware slots": p.firmwareSlots, "firmware chunks B (64-bit)": p.firmwareChunkBytes })));
  const share = (slots: number, chunks: number) =>
    budget ? ` (${Math.round((100 * (slots + TLS_HANDSHAKE_SLOTS)) / budget.slots)} % of the ESP32's ${fmt(budget.slots)} slots, ${Math.round((100 * (chunks + TLS_HANDSHAKE_CHUNK_BYTES)) / budget.chunkBytes)} % of its ${fmt(budget.chunkBytes / 1024, 0)} KB of chunks)` : "";
  return [{
    what: "XS worst state at batch_size 1000 / max_interval 600, compress on 8 channels (whole node connected, seeded signals, checkpoints every 10 s over two 600-s windows; slots, chunks in 64-bit bytes)",
    fieldnode: `${worst(compress)}${share(compress.worstSlots.firmwareSlots, compress.worstChunks.firmwareChunkBytes)}; ${fmt(compress.packs)} packs of ${fmt(compress.samples)} samples; on the ESP32 ${held}`,
    baseline: `default config, same run: ${worst(defaults)}${share(defaults.worstSlots.firmwareSlots, defaults.worstChunks.firmwareChunkBytes)}`,
  }];
}
