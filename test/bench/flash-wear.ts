/**
 * The flash table of `npm run bench`: bytes (and NVS entries) the node
 * writes per hour at default telemetry, online and with the broker away,
 * beside the previous firmware's outbox (one open segment rewritten every
 * 60 s offline, `test/helpers/outbox-v1.ts`) fed the same packs in the same
 * run; the power-loss window and the outbox capacity of each; and the NVS
 * wear that follows (docs/contracts.md, hosts/esp32/README.md).
 */
import { Counters } from "../../modules/counters.js";
import { Logger } from "../../modules/log.js";
import { outboxSegmentsFor } from "../../modules/node.js";
import { STORAGE_VALUE_MAX, type Storage } from "../../modules/platform.js";
import { Outbox } from "../../modules/telemetry/outbox.js";
import { OutboxV1 } from "../helpers/outbox-v1.js";
import { MemoryStorage } from "../helpers/memory-storage.js";
import { createTestPlatform } from "../xs/platform.js";
import { boot } from "./default-figures.js";
import { NvsModel } from "./nvs-model.js";

/** NVS (ESP-IDF): 32-byte entries, 126 per 4,096-byte page; a blob costs a chunk header and a blob index entry besides its data. */
const NVS_ENTRY = 32;
const NVS_PAGE_ENTRIES = 126;
/** Pages of the 0x86000 NVS partition (hosts/esp32/partitions.csv). */
export const NVS_PAGES = 0x86000 / 4096;
/** Erase cycles a NOR flash sector endures (ESP32 flash data sheets: 100,000 typical minimum). */
export const ERASE_CYCLES = 100_000;
/** The ESP32's storage hint (hosts/esp32 nvsCapacityBytes of the 0x86000 partition): 123 outbox segments. */
export const ESP32_CAPACITY_BYTES = 516_000;
const HOUR = 3_600_000;

/** NVS entries one `Preference.set` of `bytes` writes: data entries, its chunk header, its blob index. */
export function nvsEntries(bytes: number): number {
  return Math.ceil(bytes / NVS_ENTRY) + 2;
}

/** Counts what is written through a Storage. */
class Meter {
  bytes = 0;
  entries = 0;
  writes = 0;
  wrap<T extends Storage>(storage: T): T {
    const write = storage.write.bind(storage);
    storage.write = (key: string, value: Uint8Array) => {
      write(key, value);
      this.bytes += value.byteLength;
      this.entries += nvsEntries(value.byteLength);
      this.writes++;
    };
    return storage;
  }
  take(): { bytes: number; entries: number; writes: number } {
    const taken = { bytes: this.bytes, entries: this.entries, writes: this.writes };
    this.bytes = this.entries = this.writes = 0;
    return taken;
  }
}

type Row = Record<string, string | number>;

function row(scheme: string, state: string, m: { bytes: number; entries: number; writes: number }, hours: number, window: string): Row {
  const entriesPerHour = m.entries / hours;
  const cyclesPerPageHour = entriesPerHour / NVS_PAGE_ENTRIES / NVS_PAGES;
  return {
    outbox: scheme,
    state,
    "writes/h": Math.round(m.writes / hours),
    "flash B/h": Math.round(m.bytes / hours),
    "NVS entries/h": Math.round(entriesPerHour),
    "erase cycles/page/h": +cyclesPerPageHour.toFixed(3),
    "years to 100k cycles if always so": cyclesPerPageHour === 0 ? "∞" : +(ERASE_CYCLES / cyclesPerPageHour / 8766).toFixed(1),
    "power-loss window": window,
  };
}

/**
 * Boots the firmware (`startNode`, default config, the ESP32's storage
 * hint) on the test platform and runs it 1 h online (every pack
 * acknowledged), then 5 h with the broker away; returns its rows and the
 * packs it published online (the input of `outboxRows`).
 */
export async function nodeRows(): Promise<{ rows: Row[]; packs: Uint8Array[] }> {
  // The README figures' node: default config, a host-like clock (packs of the simulator's size), the ESP32's storage hint.
  const test = boot({ label: "ESP32", hardwareId: "a4d18cdbc020", capacityBytes: ESP32_CAPACITY_BYTES });
  const meter = new Meter();
  meter.wrap(test.storage);
  await test.timers.advanceSettled(0);
  test.mqtt.accept(false);
  let away = false;
  const packs: Uint8Array[] = [];
  const run = async (ms: number) => {
    for (let done = 0; done < ms; done += 1000) {
      await test.timers.advance(1000);
      const latest = test.mqtt.connections[test.mqtt.connections.length - 1];
      if (away && latest && !latest.closed) test.mqtt.fail({ stage: "tcp", message: "connection refused" });
      for (const p of test.mqtt.publishes) {
        if (p.topic.endsWith("/tele")) packs.push(p.payload);
        if (!away && p.qos === 1) test.mqtt.ack(p.packetId);
      }
      test.mqtt.publishes.length = 0;
      test.logs.length = 0;
    }
  };
  await run(60_000); // boot writes (boot count) stay out of the figures
  meter.take();
  await run(HOUR);
  const rows = [row("journal (this firmware), whole node", "online, every pack acknowledged", meter.take(), 1, "-")];
  away = true;
  test.mqtt.fail({ stage: "tcp", message: "connection reset" });
  await run(HOUR);
  rows.push(row("journal (this firmware), whole node", "broker away, hour 1", meter.take(), 1, "-"));
  await run(3 * HOUR);
  meter.take();
  await run(HOUR);
  rows.push(row("journal (this firmware), whole node", "broker away, hour 5 (outbox full: thinning)", meter.take(), 1, "-"));
  return { rows, packs };
}

/**
 * The outbox alone, this firmware's and the previous one's, fed the same
 * packs (one every 5 s, ticked every second like node.ts) with `maxSegments`
 * segments: online (PUBACK within the second), then with the broker away:
 * rows for hour 1 and hour 5, the worst power-loss window, and the hours
 * until the first pack is lost (dropped or thinned).
 */
export function outboxRows(packs: readonly Uint8Array[], maxSegments: number): { rows: Row[]; capacity: Row[] } {
  const rows: Row[] = [];
  const capacity: Row[] = [];
  const log = new Logger(createTestPlatform().platform);
  for (const scheme of ["journal (this firmware)", "one open segment rewritten every 60 s (previous firmware)"]) {
    const meter = new Meter();
    const storage = meter.wrap(new MemoryStorage());
    const counters = new Counters();
    let now = 0;
    const options = { maxSegments };
    const outbox: Pick<Outbox, "push" | "tick" | "unpersisted" | "depth"> & { next(): object | undefined; sent(e: object, id: number): void; ack(id: number): boolean } =
      scheme.startsWith("journal") ? new Outbox(storage, () => now, counters, log, options) : new OutboxV1(storage, () => now, counters, log, options);
    let i = 0;
    let id = 1;
    let worst = 0;
    let firstLoss: number | undefined;
    const run = (ms: number, online: boolean) => {
      for (const end = now + ms; now < end;) {
        now += 1000;
        if (now % 5000 === 0) {
          outbox.push(packs[i++ % packs.length], !online);
          if (online) for (let e = outbox.next(); e; e = outbox.next()) { outbox.sent(e, id); outbox.ack(id++); }
        }
        outbox.tick();
        worst = Math.max(worst, outbox.unpersisted);
        if (firstLoss === undefined && counters.get("outbox_dropped") + counters.get("outbox_thinned") > 0) firstLoss = now;
      }
    };
    run(HOUR, true);
    rows.push(row(scheme, "online", meter.take(), 1, "0 packs"));
    worst = 0;
    const awayAt = now;
    run(HOUR, false);
    rows.push(row(scheme, "broker away, hour 1", meter.take(), 1, `${worst} pack(s) in RAM only (${worst * 5} s) + the open batch`));
    run(3 * HOUR, false);
    meter.take();
    run(HOUR, false);
    const full = counters.get("outbox_thinned") > 0 ? "thinning" : "dropping the oldest segment";
    rows.push(row(scheme, `broker away, hour 5 (outbox full: ${full})`, meter.take(), 1, `${worst} pack(s) in RAM only (${worst * 5} s) + the open batch`));
    capacity.push({
      outbox: scheme,
      segments: maxSegments,
      "flash B": maxSegments * STORAGE_VALUE_MAX,
      "hours to the first loss": firstLoss === undefined ? "> 5" : +((firstLoss - awayAt) / HOUR).toFixed(2),
      "after 5 h away": `${outbox.depth} packs kept, ${counters.get("outbox_thinned")} thinned, ${counters.get("outbox_dropped")} dropped (oldest ${full === "thinning" ? "kept, coarser" : "lost"})`,
    });
  }
  return { rows, capacity };
}

/** The outbox sizes the bench reports: the simulator's default and the ESP32's. */
export const OUTBOX_SIZES: readonly [string, number][] = [["simulator (no capacity hint)", 64], ["ESP32 (0x86000 NVS)", outboxSegmentsFor(ESP32_CAPACITY_BYTES)!]];

/**
 * NVS wear with garbage collection (`NvsModel`), the outbox alone on the
 * ESP32's sizing, this firmware's and the previous one's fed the same packs
 * (one every 5 s): `hours` of repeated outages of `outageH` hours, each
 * followed by 6 minutes online that drain the backlog (the worst for wear:
 * always offline at full resolution, never long enough to thin), and
 * `hours` with the broker away for good. Erases counted after an 8-hour
 * warm-up (a fresh partition fills before NVS collects anything).
 */
export function wearRows(packs: readonly Uint8Array[], maxSegments: number, hours = 48, outageH = 1.9): Row[] {
  const rows: Row[] = [];
  const log = new Logger(createTestPlatform().platform);
  for (const scheme of ["journal (this firmware)", "one open segment rewritten every 60 s (previous firmware)"]) {
    for (const pattern of [`outages of ${outageH} h, 6 min online between`, "broker away for good"]) {
      const nvs = new NvsModel(NVS_PAGES);
      const storage = new MemoryStorage();
      const write = storage.write.bind(storage);
      const remove = storage.delete.bind(storage);
      storage.write = (key: string, value: Uint8Array) => { write(key, value); nvs.write(key, value.byteLength); };
      storage.delete = (key: string) => { remove(key); nvs.remove(key); };
      const counters = new Counters();
      let now = 0;
      const options = { maxSegments };
      const outbox: Pick<Outbox, "push" | "tick"> & { next(): object | undefined; sent(e: object, id: number): void; ack(id: number): boolean } =
        scheme.startsWith("journal") ? new Outbox(storage, () => now, counters, log, options) : new OutboxV1(storage, () => now, counters, log, options);
      let i = 0;
      let id = 1;
      let base = nvs.pages.map((p) => p.erases);
      const cycle = pattern.startsWith("outages") ? (outageH + 0.1) * HOUR : Infinity;
      for (let t = 0; t < hours * HOUR; t += 1000) {
        now += 1000;
        if (t === 8 * HOUR) base = nvs.pages.map((p) => p.erases);
        const online = cycle !== Infinity && t % cycle >= outageH * HOUR;
        if (now % 5000 === 0) outbox.push(packs[i++ % packs.length], !online);
        if (online) for (let e = outbox.next(); e; e = outbox.next()) { outbox.sent(e, id); outbox.ack(id++); }
        outbox.tick();
      }
      const perPage = nvs.pages.map((p, k) => p.erases - base[k]);
      const measured = hours - 8;
      const total = perPage.reduce((a, b) => a + b, 0) / measured;
      const worst = Math.max(...perPage) / measured;
      rows.push({
        outbox: scheme,
        pattern,
        "page erases/h (GC included)": +total.toFixed(1),
        "mean cycles/page/h": +(total / NVS_PAGES).toFixed(3),
        "most erased page, cycles/h": +worst.toFixed(3),
        "years to 100k cycles (most erased page)": worst === 0 ? "∞" : +(ERASE_CYCLES / worst / 8766).toFixed(1),
      });
    }
  }
  return rows;
}
