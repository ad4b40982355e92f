/**
 * Bytes on the wire at the default config (no edge filter): the SKAB pump
 * recording (or synthetic data of its shape) replayed second by second
 * through the firmware's own Batcher with node.ts's size check, each pack
 * as a whole MQTT PUBLISH frame (QoS 1), beside JSON of the same readings:
 * one object per reading on its own topic, and SenML-JSON of the same
 * packs; and the encode speed on Node. The detailed table (other pack
 * periods, kB/h) goes to `--details`.
 */
import { performance } from "node:perf_hooks";
import { join } from "node:path";
import { KEYS } from "../../modules/config/schema.js";
import type { Reading } from "../../modules/io/channels.js";
import { DEFAULT_MAX_PACKET } from "../../modules/node.js";
import type { Platform } from "../../modules/platform.js";
import { Batcher } from "../../modules/telemetry/batcher.js";
import type { ReadingRows } from "../../modules/telemetry/reading-rows.js";
import { encodeTelemetryPack, packLimit } from "../../modules/telemetry/telemetry-pack.js";
import { encodePack, readingsOf, rowsOf } from "../helpers/reading-rows.js";
import { buildTelemetryRecordsV1 } from "../helpers/telemetry-pack-v1.js";
import { FakeTimers } from "../helpers/fake-timers.js";
import { loadSkab, syntheticSkab } from "./skab.js";
import { fmt, type BenchContext, type BenchRow } from "./table.js";

const EPOCH_AT_BOOT = Date.UTC(2026, 0, 1);
const TOPIC = "fieldnode/pump-7/tele";
const CONTEXT = { nodeId: "pump-7", bootId: "9f3a01c2", epochAtBoot: EPOCH_AT_BOOT };
/** MQTT PUBLISH QoS 1 overhead: fixed header (2-4), topic length (2) + topic, packet id (2). */
const mqttOverhead = (payload: number, topic = TOPIC) => 1 + (payload + 4 + topic.length > 127 ? 2 : 1) + 2 + topic.length + 2;

const BATCH_DEFAULT = Number(KEYS["telemetry.batch_size"].default);
const BATCH_MAX = Number(KEYS["telemetry.batch_size"].max);
const MAX_AGE_DEFAULT_MS = Number(KEYS["telemetry.max_interval"].default) * 1000;

/** The packs the firmware sends (see the file's comment). */
function firmwarePacks(rows: Reading[][], batchSize: number, maxAgeMs: number, maxPacketBytes: number): Reading[][] {
  const limit = packLimit(maxPacketBytes, Buffer.byteLength(TOPIC));
  const timers = new FakeTimers();
  const out: Reading[][] = [];
  const fits = (rows: ReadingRows) => encodeTelemetryPack({ ...CONTEXT, seq: 0xffffffff }, rows).byteLength <= limit;
  const batcher = new Batcher({ timers, clock: timers } as unknown as Platform, { batchSize, maxAgeMs, fits }, (batch) => out.push(readingsOf(batch)));
  for (const second of rows) {
    timers.advance(second[0].at - timers.monotonic());
    for (const reading of second) batcher.add(reading);
  }
  batcher.flush();
  return out;
}

function senmlJson(seq: number, readings: Reading[]): string {
  return JSON.stringify(buildTelemetryRecordsV1({ ...CONTEXT, seq }, readings));
}

/** One object per reading on its own topic (as ESPHome-style per-sensor topics carry). */
function perReading(reading: Reading): { topic: string; payload: string } {
  return {
    topic: `pump-7/sensor/${reading.channel}/state`,
    payload: JSON.stringify({ node: "pump-7", channel: reading.channel, unit: reading.unit, value: reading.value, time: new Date(EPOCH_AT_BOOT + reading.at).toISOString() }),
  };
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

interface Measured { packs: number; cborWire: number; jsonWire: number; largest: number }

function measure(batch: Reading[][]): Measured {
  let cborWire = 0;
  let jsonWire = 0;
  let largest = 0;
  batch.forEach((readings, i) => {
    const c = encodePack({ ...CONTEXT, seq: i + 1 }, readings).byteLength;
    const j = Buffer.byteLength(senmlJson(i + 1, readings));
    cborWire += c + mqttOverhead(c);
    jsonWire += j + mqttOverhead(j);
    largest = Math.max(largest, c + mqttOverhead(c));
  });
  return { packs: batch.length, cborWire, jsonWire, largest };
}

/** The wire rows of the table (and the detailed table in `context.details`). */
export function wireRows(context: BenchContext): BenchRow[] {
  const file = join(context.recordings, "anomaly-free.csv");
  const skab = loadSkab(file);
  const rows = skab ? skab.readings : syntheticSkab(3600);
  const source = skab ? `SKAB anomaly-free.csv, ${fmt(skab.rows)} s × 8 channels at 1 Hz` : "synthetic SKAB-shaped data (recordings absent), 3,600 s × 8 channels";
  const samples = rows.length * 8;
  const naiveWire = rows.flat().reduce((sum, r) => {
    const { topic, payload } = perReading(r);
    const n = Buffer.byteLength(payload);
    return sum + n + mqttOverhead(n, topic);
  }, 0);
  const firmware = measure(firmwarePacks(rows, BATCH_DEFAULT, MAX_AGE_DEFAULT_MS, DEFAULT_MAX_PACKET));
  const details: Record<string, string | number>[] = [];
  const hours = rows.length / 3600;
  for (const [label, batchSize] of [["defaults", BATCH_DEFAULT], ["batch_size max", BATCH_MAX]] as const) {
    const m = batchSize === BATCH_DEFAULT ? firmware : measure(firmwarePacks(rows, batchSize, MAX_AGE_DEFAULT_MS, DEFAULT_MAX_PACKET));
    details.push({
      pack: `firmware ${label}: ${batchSize} readings / ${MAX_AGE_DEFAULT_MS / 1000} s, ≤ ${fmt(DEFAULT_MAX_PACKET)} B`,
      messages: m.packs,
      "readings/pack": +(samples / m.packs).toFixed(1),
      "largest PUBLISH B": m.largest,
      "CBOR wire B/sample": +(m.cborWire / samples).toFixed(2),
      "SenML-JSON wire B/sample": +(m.jsonWire / samples).toFixed(2),
      "CBOR wire kB/h": +(m.cborWire / hours / 1000).toFixed(1),
      "JSON-per-reading wire kB/h": +(naiveWire / hours / 1000).toFixed(1),
    });
  }
  context.details.log(`\nBytes on the wire (${source}), whole MQTT PUBLISH frames, no edge filter:`);
  context.details.table(details);
  const sample = firmwarePacks(rows, 80, 3_600_000, 65_536).slice(0, 200);
  // The encoder reads the Batcher's columns: they are made before the clock starts.
  const sampleRows = sample.map((r) => rowsOf(r));
  const cborMs = timeIt(() => sampleRows.forEach((r, i) => encodeTelemetryPack({ ...CONTEXT, seq: i }, r)));
  const jsonMs = timeIt(() => sample.forEach((r, i) => senmlJson(i, r)));
  return [
    {
      what: `wire bytes per acquired sample, default batching, no edge filter (${source}; whole PUBLISH frames)`,
      fieldnode: `${(firmware.cborWire / samples).toFixed(2)} B (SenML-CBOR, ${firmware.packs} packs)`,
      baseline: `JSON per reading on its own topic ${(naiveWire / samples).toFixed(2)} B; SenML-JSON of the same packs ${(firmware.jsonWire / samples).toFixed(2)} B`,
    },
    {
      what: "encode a pack of 80 readings, Node µs (200 packs)",
      fieldnode: `${((cborMs * 1000) / sample.length).toFixed(1)} µs (SenML-CBOR from the Batcher's columns, modules/telemetry/telemetry-pack.ts)`,
      baseline: `SenML-JSON (JSON.stringify) ${((jsonMs * 1000) / sample.length).toFixed(1)} µs`,
    },
  ];
}
