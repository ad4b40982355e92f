import { performance } from "node:perf_hooks";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { KEYS } from "../../modules/config/schema.js";
import type { Reading } from "../../modules/io/channels.js";
import { DEFAULT_MAX_PACKET } from "../../modules/node.js";
import type { Platform } from "../../modules/platform.js";
import { Batcher } from "../../modules/telemetry/batcher.js";
import { buildTelemetryRecords, encodeTelemetryPack, packLimit } from "../../modules/telemetry/telemetry-pack.js";
import { FakeTimers } from "../helpers/fake-timers.js";
import { outboxFigures, packFigures } from "./default-figures.js";
import { liveSimFigures } from "./live-sim.js";
import { edgeBench } from "./edge.js";
import { loadSkab, SKAB_DIR, syntheticSkab } from "./skab.js";

const HELP = `usage: npm run bench [-- --recordings <dir>]

Measures fieldnode's firmware: the figures README quotes (telemetry pack and
outbox at the default config), bytes on the wire, encode speed and memory
under XS, side by side with baselines measured in the same run.

  --recordings <dir>  the SKAB recordings (anomaly-free.csv) for the wire table
                      (default: ../shared/data/skab beside the repository, here
                      ${SKAB_DIR}); without them, synthetic data of the same shape;
                      the edge compression tables use every *.csv there
  -h, --help          this text`;

/**
 * `npm run bench`: see HELP. Without the recordings it says so and uses
 * synthetic data.
 */
let args;
try {
  args = parseArgs({ args: process.argv.slice(2), strict: true, allowPositionals: false, options: { recordings: { type: "string" }, help: { type: "boolean", short: "h" } } }).values;
} catch (error) {
  console.error(`bench: ${(error as Error).message}\n\n${HELP}`);
  process.exit(2);
}
if (args.help) {
  console.log(HELP);
  process.exit(0);
}
console.log(`fieldnode bench, ${new Date().toISOString().slice(0, 10)} (UTC), Node ${process.version} on ${process.platform}/${process.arch}`);

// The figures README quotes, with this run's date.
const SIM_TARGET = { label: "simulator (no capacity hint: the outbox default)", hardwareId: "sim-5bce98", fractionalClock: true };
const ESP32_TARGET = { label: "ESP32 (NVS capacity hint)", hardwareId: "a4d18cdbc020", capacityBytes: 516_000 };
const pack = await packFigures(SIM_TARGET);
const boardPack = await packFigures(ESP32_TARGET);
const outboxRows = [];
for (const target of [SIM_TARGET, ESP32_TARGET]) {
  const o = await outboxFigures(target);
  outboxRows.push({
    storage: target.label,
    "longest outage without a loss": `${o.bounded ? "" : "≥ "}${formatMinutes(o.losslessMinutes)}`,
    [`after ${o.long.hours} h away: packs made / arrived`]: `${o.long.made} / ${o.long.arrived}`,
    "oldest pack that arrived": `${formatMinutes(o.long.reachMinutes)} old`,
  });
}
const live = await liveSimFigures();
console.log(`\nREADME figures (default config, simulated board; ${new Date().toISOString().slice(0, 10)}):`);
console.log(`  telemetry, fieldnode-sim live (embedded broker, fresh flash): ${live ? `${live.packs} packs of ${live.minBytes}-${live.maxBytes} B (SenML-CBOR payload), one every ${live.periodS} s` : "not measured (the simulator did not start or publish in time)"}`);
console.log(`  telemetry, the same firmware in virtual time, 30 min: one pack of ${pack.minBytes}-${pack.maxBytes} B every ${pack.periodS} s, ${pack.readingsPerPack} readings, with the simulator's clock (sub-ms fractions: float64 times); ${boardPack.minBytes}-${boardPack.maxBytes} B with the board's (whole ms)`);
console.log("  outbox, in virtual time (each target with its clock): the broker away for an outage, then back, every pack acknowledged; an outage is lossless when every pack made during it arrives:");
console.table(outboxRows);

const file = join(args.recordings ?? SKAB_DIR, "anomaly-free.csv");
const skab = loadSkab(file);
const rows = skab ? skab.readings : syntheticSkab(3600);
console.log(skab ? `data: ${file} (${skab.rows} s, 8 channels at 1 Hz)` : `data: ${file} not found; using 3600 s of synthetic data with the same shape`);

const EPOCH_AT_BOOT = Date.UTC(2026, 0, 1);
const TOPIC = "fieldnode/pump-7/tele";
/** MQTT PUBLISH QoS 1 overhead: fixed header (2-4), topic length (2) + topic, packet id (2). */
const mqttOverhead = (payload: number) => 1 + (payload + 4 + TOPIC.length > 127 ? 2 : 1) + 2 + TOPIC.length + 2;

/** Groups per-second rows into packs of `seconds` seconds. */
function packs(seconds: number): Reading[][] {
  const out: Reading[][] = [];
  for (let i = 0; i < rows.length; i += seconds) out.push(rows.slice(i, i + seconds).flat());
  return out;
}

/**
 * The packs the firmware sends: readings go, second by second, through the
 * firmware's own Batcher with node.ts's size check (a pack closes early when
 * the next reading would push its PUBLISH over `maxPacketBytes`).
 */
function firmwarePacks(batchSize: number, maxAgeMs: number, maxPacketBytes: number): Reading[][] {
  const limit = packLimit(maxPacketBytes, Buffer.byteLength(TOPIC));
  const timers = new FakeTimers();
  const out: Reading[][] = [];
  const fits = (readings: Reading[]) => encodeTelemetryPack({ nodeId: "pump-7", bootId: "9f3a01c2", seq: 0xffffffff, epochAtBoot: EPOCH_AT_BOOT }, readings).byteLength <= limit;
  const batcher = new Batcher({ timers } as unknown as Platform, { batchSize, maxAgeMs, fits }, (batch) => out.push(batch));
  for (const second of rows) {
    timers.advance(second[0].at - timers.monotonic());
    for (const reading of second) batcher.add(reading);
  }
  batcher.flush();
  return out;
}

/** "64 min", "2.1 h". */
function formatMinutes(minutes: number): string {
  return minutes < 90 ? `${Math.round(minutes)} min` : `${(minutes / 60).toFixed(1)} h`;
}

const BATCH_DEFAULT = Number(KEYS["telemetry.batch_size"].default);
const BATCH_MAX = Number(KEYS["telemetry.batch_size"].max);
const MAX_AGE_DEFAULT_MS = Number(KEYS["telemetry.max_interval"].default) * 1000;
const kB = (n: number) => n.toLocaleString("en-US");

function senmlJson(seq: number, readings: Reading[]): string {
  const records = buildTelemetryRecords({ nodeId: "pump-7", bootId: "9f3a01c2", seq, epochAtBoot: EPOCH_AT_BOOT }, readings);
  return JSON.stringify(records);
}

function naiveJson(reading: Reading): string {
  return JSON.stringify({ node: "pump-7", channel: reading.channel, unit: reading.unit, value: reading.value, time: new Date(EPOCH_AT_BOOT + reading.at).toISOString() });
}

function timeIt(run: () => void, minMs = 300): number {
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    run();
    n++;
  }
  return (performance.now() - start) / n;
}

const variants: { label: string; batch: Reading[][] }[] = [
  ...[1, 10, 60].map((seconds) => ({ label: `every ${seconds} s`, batch: packs(seconds) })),
  { label: `firmware: ${BATCH_DEFAULT} readings / ${MAX_AGE_DEFAULT_MS / 1000} s (defaults), ≤ ${kB(DEFAULT_MAX_PACKET)} B`, batch: firmwarePacks(BATCH_DEFAULT, MAX_AGE_DEFAULT_MS, DEFAULT_MAX_PACKET) },
  { label: `firmware: ${BATCH_MAX} readings (max) / ${MAX_AGE_DEFAULT_MS / 1000} s, ≤ ${kB(DEFAULT_MAX_PACKET)} B`, batch: firmwarePacks(BATCH_MAX, MAX_AGE_DEFAULT_MS, DEFAULT_MAX_PACKET) },
];
const table: Record<string, string | number>[] = [];
for (const { label, batch } of variants) {
  let cbor = 0;
  let largest = 0;
  let json = 0;
  let cborWire = 0;
  let jsonWire = 0;
  batch.forEach((readings, i) => {
    const c = encodeTelemetryPack({ nodeId: "pump-7", bootId: "9f3a01c2", seq: i + 1, epochAtBoot: EPOCH_AT_BOOT }, readings).byteLength;
    const j = Buffer.byteLength(senmlJson(i + 1, readings));
    cbor += c;
    json += j;
    cborWire += c + mqttOverhead(c);
    largest = Math.max(largest, c + mqttOverhead(c));
    jsonWire += j + mqttOverhead(j);
  });
  const naiveWire = rows.flat().reduce((sum, r) => {
    const n = Buffer.byteLength(naiveJson(r));
    return sum + n + mqttOverhead(n);
  }, 0);
  const hours = rows.length / 3600;
  table.push({
    pack: label,
    messages: batch.length,
    "readings/pack": +(rows.length * 8 / batch.length).toFixed(1),
    "largest CBOR PUBLISH B": largest,
    "SenML-CBOR B/pack": Math.round(cbor / batch.length),
    "SenML-JSON B/pack": Math.round(json / batch.length),
    "CBOR wire kB/h": +(cborWire / hours / 1000).toFixed(1),
    "SenML-JSON wire kB/h": +(jsonWire / hours / 1000).toFixed(1),
    "JSON-per-reading wire kB/h": +(naiveWire / hours / 1000).toFixed(1),
    "CBOR vs per-reading": `${((100 * cborWire) / naiveWire).toFixed(1)} %`,
  });
}
console.log(`\nBytes on the wire (payload + MQTT PUBLISH header), one node, 8 channels at 1 Hz; the firmware rows close packs as the node does (${kB(DEFAULT_MAX_PACKET)} B: default maxPacketBytes):`);
console.table(table);

const sample = packs(10).slice(0, 200);
const cborMs = timeIt(() => sample.forEach((r, i) => encodeTelemetryPack({ nodeId: "pump-7", bootId: "9f3a01c2", seq: i, epochAtBoot: EPOCH_AT_BOOT }, r)));
const jsonMs = timeIt(() => sample.forEach((r, i) => senmlJson(i, r)));
console.log("\nEncode speed on Node (200 packs of 80 readings):");
console.table([
  { encoder: "fieldnode SenML-CBOR (cbor-x)", "µs/pack": +((cborMs * 1000) / sample.length).toFixed(1) },
  { encoder: "baseline SenML-JSON (JSON.stringify)", "µs/pack": +((jsonMs * 1000) / sample.length).toFixed(1) },
]);

{
  const { nodeRows, outboxRows, wearRows, OUTBOX_SIZES, NVS_PAGES, ERASE_CYCLES } = await import("./flash-wear.js");
  const { rows: nodeFlash, packs } = await nodeRows();
  const sizes = packs.map((p) => p.byteLength);
  console.log(`\nFlash written per hour at default telemetry (2 channels at 1 Hz, 10 readings a pack: one pack of ${Math.min(...sizes)}-${Math.max(...sizes)} B every 5 s), ` +
    `the whole node on the ESP32's outbox sizing, then the outbox alone beside the previous firmware's, fed the same packs; NVS entries = ceil(bytes / 32) + 2 per write, ` +
    `erase cycles spread over the ${NVS_PAGES} pages of the NVS partition (126 entries a page), ${ERASE_CYCLES.toLocaleString("en-US")} cycles a sector:`);
  const { rows: esp32, capacity: esp32Capacity } = outboxRows(packs, OUTBOX_SIZES[1][1]);
  console.table([...nodeFlash, ...esp32]);
  console.log("NVS wear with garbage collection (test/bench/nvs-model.ts: ESP-IDF's page selection and copying), the outbox alone on the ESP32's sizing, 48 h of each pattern, measured after an 8 h warm-up:");
  console.table(wearRows(packs, OUTBOX_SIZES[1][1]));
  console.log("Outbox capacity with the broker away (first pack lost: thinned by this firmware, dropped with its segment by the previous one):");
  console.table([...outboxRows(packs, OUTBOX_SIZES[0][1]).capacity.map((r) => ({ flash: OUTBOX_SIZES[0][0], ...r })), ...esp32Capacity.map((r) => ({ flash: OUTBOX_SIZES[1][0], ...r }))]);
}
await edgeBench(args.recordings ?? SKAB_DIR);
(await import("./modbus.js")).modbusBench();
await (await import("./fleet.js")).fleetBench();

/** Broker-away checkpoints (minutes since it went away): 30 min, 2.5 h (just under the ESP32 outbox at this test platform's one pack per 5 s), 6 h (past it: the bound). */
const AWAY_MINUTES = [30, 150, 360];
/** The ESP32's storage hint (hosts/esp32 nvsCapacityBytes of the 0x86000 NVS partition): the outbox gets 123 segments. */
const ESP32_CAPACITY_BYTES = 516_000;
try {
  const { footprintTable } = await import("./footprint.js");
  const { rows: memory, notes } = await footprintTable(AWAY_MINUTES, ESP32_CAPACITY_BYTES);
  console.log(`\nMemory inside the XS engine (xsnap), firmware booted on the test platform with the ESP32's storage capacity (${kB(ESP32_CAPACITY_BYTES)} B), beside the empty harness; broker away = every reconnect refused for ${AWAY_MINUTES.map((m) => `${m / 60} h`).join(", ")} of virtual time:`);
  console.table(memory);
  for (const note of notes) console.log(`  ${note}`);
} catch (error) {
  console.log(`\nMemory inside the XS engine: not measured (${(error as Error).message.split("\n")[0]})`);
}
