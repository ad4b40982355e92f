import test from "ava";
import { ESP32_CAPACITY_BYTES, esp32Creation, measureFootprint, TLS_HANDSHAKE_CHUNK_BYTES, TLS_HANDSHAKE_SLOTS } from "../helpers/node-footprint.js";

/**
 * The ESP32 build fixes the XS slot heap with no growth (manifest.json,
 * platforms.esp32.creation): the firmware's worst state must fit it, with
 * the TLS handshake's slots beside it. The worst state measured is a long
 * outage in virtual time on the ESP32's outbox sizing (123 segments):
 * the outbox fills after about 2.5 h and thins from then on; then a power
 * cut and a reboot that restores the full outbox. A memory
 * figure, compared in slots (the same count on the 32-bit board), never a
 * time; the chunk heap likewise, in bytes measured on the 64-bit host
 * (larger than on the board: array items are 32-byte slots here).
 * hosts/esp32/README.md ("Memory: creation sizes") gives the arithmetic.
 */
test("the firmware's worst state (6 h with the broker away, outbox full and thinning, then a power cut and a reboot on that flash) fits the ESP32's XS slot and chunk heaps with a TLS handshake's share to spare", async (t) => {
  const budget = esp32Creation();
  if (!budget) return t.fail("manifest.json has no readable platforms.esp32.creation");
  t.false(budget.growth, "the ESP32 heap does not grow: the budget is fixed");
  const footprint = await measureFootprint({ awayMinutes: [30, 150, 360], capacityBytes: ESP32_CAPACITY_BYTES, powerCut: true });
  for (const p of footprint.points) t.log(`${p.state}: firmware ${p.firmwareSlots} slots (simulated flash ${p.simFlashSlots} subtracted); ${p.outbox}`);
  const outage = footprint.points.find((p) => p.state.includes("6 h"));
  t.regex(outage?.outbox ?? "", /123\/123 segments/, "the outbox was full: the worst state was reached");
  const rebooted = footprint.points[footprint.points.length - 1];
  t.regex(rebooted.outbox, /[1-9][0-9]{3} packs, 12[0-3]\/123 segments/, "the reboot restored the full outbox (thousands of packs: how many depends on their size)");
  const needed = footprint.worstSlots + TLS_HANDSHAKE_SLOTS;
  t.true(needed <= budget.slots, `worst ${footprint.worstSlots} slots + ${TLS_HANDSHAKE_SLOTS} for a TLS handshake = ${needed}, over the ESP32 heap of ${budget.slots} slots`);
  const chunks = footprint.worstChunkBytes + TLS_HANDSHAKE_CHUNK_BYTES;
  t.true(chunks <= budget.chunkBytes, `worst ${footprint.worstChunkBytes} B of chunks + ${TLS_HANDSHAKE_CHUNK_BYTES} for a TLS handshake = ${chunks}, over the ESP32 chunk heap of ${budget.chunkBytes} B`);
  t.log(`chunks: worst ${footprint.worstChunkBytes} + TLS ${TLS_HANDSHAKE_CHUNK_BYTES} = ${chunks} of ${budget.chunkBytes} B (${Math.round((100 * chunks) / budget.chunkBytes)} %)`);
  t.log(`worst ${footprint.worstSlots} + TLS ${TLS_HANDSHAKE_SLOTS} = ${needed} of ${budget.slots} slots (${Math.round((100 * needed) / budget.slots)} %)`);
});
