/**
 * The XS rows of `npm run bench`: the firmware's memory and compute inside
 * the XS engine (test/helpers/node-footprint.ts): live slots after 1,000 and
 * 10,000 sample cycles connected (no growth), the worst state (up to 6 h
 * with the broker away, outbox full, then a power cut and reboot) against the ESP32's fixed heap from
 * manifest.json, and XS compute per channel-sample of the whole node beside
 * the harness's own.
 *
 * Importing this file hardens the process's intrinsics (see test/helpers/xs.ts):
 * import it last.
 */
import { ESP32_CAPACITY_BYTES, esp32Creation, measureFootprint, SLOT_BYTES_ESP32, TLS_HANDSHAKE_CHUNK_BYTES, TLS_HANDSHAKE_SLOTS } from "../helpers/node-footprint.js";
import { fmt, type BenchContext, type BenchRow } from "./table.js";

/** Broker-away checkpoints (minutes): 30 min, 2.5 h (the ESP32 outbox just full), 6 h (thinning). */
const AWAY_MINUTES = [30, 150, 360];

/** See the file's comment. */
export async function xsRows(context: BenchContext): Promise<BenchRow[]> {
  const f = await measureFootprint({ awayMinutes: AWAY_MINUTES, capacityBytes: ESP32_CAPACITY_BYTES, cycles: [1000, 10_000], powerCut: true });
  const budget = esp32Creation();
  context.details.log(`\nXS memory (xsnap), firmware = live slots − loaded bundle − simulated flash; empty harness ${fmt(f.baseline.slots)} slots, bundle loaded ${fmt(f.loaded.slots)}:`);
  context.details.table(f.points.map((p) => ({
    state: p.state,
    "XS slots (guest)": p.slots,
    "firmware slots": p.firmwareSlots,
    "firmware B at 16 B/slot": p.firmwareSlots * SLOT_BYTES_ESP32,
    "simulated flash slots (subtracted)": p.simFlashSlots,
    "firmware chunks B (64-bit)": p.firmwareChunkBytes,
    outbox: p.outbox,
  })));
  const at = (prefix: string) => f.points.find((p) => p.state.startsWith(prefix));
  const booted = at("booted")!;
  const k1 = at("connected, 1000 ")!;
  const k10 = at("connected, 10000 ")!;
  const worst = f.points.reduce((a, b) => (b.firmwareSlots > a.firmwareSlots ? b : a));
  const rows: BenchRow[] = [];
  if (f.compute) {
    rows.push({
      what: "XS compute per channel-sample, whole node connected at the default config (xsnap meter: engine steps, the same on every machine)",
      fieldnode: `${fmt(f.compute.perSample - f.compute.harnessPerSample)} (sample, edge, batch, SenML-CBOR, outbox, MQTT; over ${fmt(f.compute.samples)} samples)`,
      baseline: `the test harness alone for the same virtual time: ${fmt(f.compute.harnessPerSample)} per sample`,
    });
  }
  rows.push({
    what: "XS live heap of the firmware after 1,000 / 10,000 sample cycles connected (slots after a full GC)",
    fieldnode: `${fmt(k1.firmwareSlots)} / ${fmt(k10.firmwareSlots)} slots (${k10.firmwareSlots - k1.firmwareSlots === 0 ? "no growth" : `${k10.firmwareSlots - k1.firmwareSlots > 0 ? "+" : ""}${k10.firmwareSlots - k1.firmwareSlots}`})`,
    baseline: `just booted (60 s): ${fmt(booted.firmwareSlots)} slots`,
  });
  rows.push({
    what: `XS worst state of the firmware (checkpoints: connected, 30 min to 6 h with the broker away on the ESP32 outbox, a power cut and reboot on that flash; worst: ${worst.state.replace(/^then /, "")}; slots, chunks in 64-bit bytes)`,
    fieldnode: `${fmt(worst.firmwareSlots)} slots + ${TLS_HANDSHAKE_SLOTS} for a TLS handshake = ${fmt(worst.firmwareSlots + TLS_HANDSHAKE_SLOTS)}; chunks ${fmt(f.worstChunkBytes / 1024, 1)} KB + 10 KB`,
    baseline: budget
      ? `ESP32 heap ${fmt(budget.slots)} slots (${Math.round((100 * (worst.firmwareSlots + TLS_HANDSHAKE_SLOTS)) / budget.slots)} % used), chunk heap ${fmt(budget.chunkBytes / 1024, 0)} KB (${Math.round((100 * (f.worstChunkBytes + TLS_HANDSHAKE_CHUNK_BYTES)) / budget.chunkBytes)} %), manifest.json`
      : "manifest.json creation unreadable",
  });
  return rows;
}
