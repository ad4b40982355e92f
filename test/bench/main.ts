import { performance } from "node:perf_hooks";
import { join } from "node:path";
import type { Reading } from "../../modules/io/channels.js";
import { buildTelemetryRecords, encodeTelemetryPack } from "../../modules/telemetry/telemetry-pack.js";
import { loadSkab, SKAB_DIR, syntheticSkab } from "./skab.js";

/**
 * `npm run bench`: bytes on the wire and encode speed of fieldnode's
 * SenML-CBOR packs, side by side with baselines measured in the same run.
 */
const file = process.argv[2] ?? join(SKAB_DIR, "anomaly-free.csv");
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

const table: Record<string, string | number>[] = [];
for (const seconds of [1, 10, 60]) {
  const batch = packs(seconds);
  let cbor = 0;
  let json = 0;
  let cborWire = 0;
  let jsonWire = 0;
  batch.forEach((readings, i) => {
    const c = encodeTelemetryPack({ nodeId: "pump-7", bootId: "9f3a01c2", seq: i + 1, epochAtBoot: EPOCH_AT_BOOT }, readings).byteLength;
    const j = Buffer.byteLength(senmlJson(i + 1, readings));
    cbor += c;
    json += j;
    cborWire += c + mqttOverhead(c);
    jsonWire += j + mqttOverhead(j);
  });
  const naiveWire = rows.flat().reduce((sum, r) => {
    const n = Buffer.byteLength(naiveJson(r));
    return sum + n + mqttOverhead(n);
  }, 0);
  const hours = rows.length / 3600;
  table.push({
    "pack (s)": seconds,
    messages: batch.length,
    "SenML-CBOR B/pack": Math.round(cbor / batch.length),
    "SenML-JSON B/pack": Math.round(json / batch.length),
    "CBOR wire kB/h": +(cborWire / hours / 1000).toFixed(1),
    "SenML-JSON wire kB/h": +(jsonWire / hours / 1000).toFixed(1),
    "JSON-per-reading wire kB/h": +(naiveWire / hours / 1000).toFixed(1),
    "CBOR vs per-reading": `${((100 * cborWire) / naiveWire).toFixed(1)} %`,
  });
}
console.log("\nBytes on the wire (payload + MQTT PUBLISH header), one node, 8 channels at 1 Hz:");
console.table(table);

const sample = packs(10).slice(0, 200);
const cborMs = timeIt(() => sample.forEach((r, i) => encodeTelemetryPack({ nodeId: "pump-7", bootId: "9f3a01c2", seq: i, epochAtBoot: EPOCH_AT_BOOT }, r)));
const jsonMs = timeIt(() => sample.forEach((r, i) => senmlJson(i, r)));
console.log("\nEncode speed on Node (200 packs of 80 readings):");
console.table([
  { encoder: "fieldnode SenML-CBOR (cbor-x)", "µs/pack": +((cborMs * 1000) / sample.length).toFixed(1) },
  { encoder: "baseline SenML-JSON (JSON.stringify)", "µs/pack": +((jsonMs * 1000) / sample.length).toFixed(1) },
]);
