/**
 * `npm run bench`, wire bytes per acquired sample (issue 12 item 8, issue 10
 * item 4): each SKAB recording (or synthetic data of the same shape)
 * replayed through the firmware's own pack path — the channel pipeline with
 * `compress(e)` at 5 % of each channel's range in that file (the chain
 * registry's compress), the Batcher with the PackMaker's size check, the
 * PackMaker's SenML-CBOR — and every pack counted as the whole MQTT PUBLISH
 * frame mqtt-packet generates (fixed header, topic, packet id, payload).
 * Beside it, measured on the same samples in the same run: one JSON object
 * of all channels per period as Tasmota sends, one text topic per reading
 * as ESPHome sends, and Sparkplug B report-by-exception encoded with the
 * `sparkplug-payload` package.
 */
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Reading } from "../../modules/io/channels.js";
import { E_SHARE, EPOCH_AT_BOOT, firmwareRun, NODE_ID, TELE_TOPIC, type PackPolicy } from "../helpers/pack-path.js";
import { loadSkab, SKAB_CHANNELS, syntheticSkab } from "./skab.js";
import { fmt, type BenchContext, type BenchRow } from "./table.js";

const require = createRequire(import.meta.url);
const mqtt = require("mqtt-packet") as { generate(packet: object): Uint8Array };
const sparkplug = (require("sparkplug-payload") as { get(version: string): { encodePayload(payload: object): Uint8Array } }).get("spBv1.0");

export { BOOT_ID, boundsOf, E_SHARE, EPOCH_AT_BOOT, firmwareRun, NODE_ID, TELE_TOPIC, type FirmwareRun, type PackPolicy } from "../helpers/pack-path.js";

/** Bytes of the MQTT 3.1.1 PUBLISH that carries `payload` on `topic`, as mqtt-packet writes it. */
export function publishBytes(topic: string, payload: Uint8Array | string, qos: 0 | 1, messageId = 1): number {
  const body = typeof payload === "string" ? Buffer.from(payload) : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  return mqtt.generate({ cmd: "publish", topic, payload: body, qos, messageId: qos > 0 ? messageId : undefined, retain: false, dup: false }).byteLength;
}

/** A reading's value as the baselines print it: the recording's six significant digits. */
const text = (value: number) => String(Number(value.toPrecision(6)));
const iso = (at: number) => new Date(EPOCH_AT_BOOT + at).toISOString().slice(0, 19);

/** Tasmota: one `tele/<topic>/SENSOR` JSON object of all channels per period (here every sample period), QoS 0. */
export function tasmotaBytes(rows: readonly Reading[][]): number {
  let bytes = 0;
  for (const row of rows) {
    const sensor: Record<string, number> = {};
    for (const r of row) sensor[r.channel] = Number(text(r.value ?? NaN));
    bytes += publishBytes(`tele/${NODE_ID}/SENSOR`, JSON.stringify({ Time: iso(row[0].at), SKAB: sensor }), 0);
  }
  return bytes;
}

/** ESPHome: one `<node>/sensor/<name>/state` text payload per reading, QoS 0. */
export function esphomeBytes(rows: readonly Reading[][]): number {
  let bytes = 0;
  for (const row of rows) for (const r of row) bytes += publishBytes(`${NODE_ID}/sensor/${r.channel}/state`, text(r.value ?? NaN), 0);
  return bytes;
}

/**
 * Sparkplug B report by exception: per period one NDATA with the metrics
 * whose value changed since last reported (by alias, as after an NBIRTH,
 * Float as the recording's precision fits), payload timestamp and seq;
 * `spBv1.0/<group>/NDATA/<node>`, QoS 0 as the specification has NDATA.
 */
export function sparkplugBytes(rows: readonly Reading[][]): number {
  let bytes = 0;
  const last = new Map<string, number>();
  let seq = 0;
  for (const row of rows) {
    const metrics = [];
    for (const [alias, r] of row.entries()) {
      const value = Math.fround(r.value ?? NaN);
      if (last.get(r.channel) === value) continue;
      last.set(r.channel, value);
      metrics.push({ alias, type: "Float", value });
    }
    if (metrics.length === 0) continue;
    const payload = sparkplug.encodePayload({ timestamp: EPOCH_AT_BOOT + row[0].at, seq, metrics });
    seq = (seq + 1) % 256;
    bytes += publishBytes(`spBv1.0/plant/NDATA/${NODE_ID}`, payload, 0);
  }
  return bytes;
}

/** The pack policies the table shows: the defaults, and longer max ages for sparse points. */
export const POLICIES: readonly { label: string; policy: PackPolicy }[] = [
  { label: "10 readings / 10 s (defaults)", policy: { batchSize: 10, maxAgeMs: 10_000 } },
  { label: "100 readings / 60 s", policy: { batchSize: 100, maxAgeMs: 60_000 } },
  { label: "1000 readings / 300 s", policy: { batchSize: 1000, maxAgeMs: 300_000 } },
  { label: "1000 readings / 600 s", policy: { batchSize: 1000, maxAgeMs: 600_000 } },
];

/** One row per recording: bytes per acquired sample for fieldnode at each policy and the baselines. */
export function wireRows(recordings: readonly { name: string; rows: Reading[][] }[]): Record<string, string | number>[] {
  const table: Record<string, string | number>[] = [];
  for (const { name, rows } of recordings) {
    const samples = rows.length * rows[0].length;
    const per = (bytes: number) => +(bytes / samples).toFixed(2);
    const row: Record<string, string | number> = { recording: name, samples };
    for (const { label, policy } of POLICIES) {
      const run = firmwareRun(rows, policy);
      const bytes = run.packs.reduce((sum, pack, i) => sum + publishBytes(TELE_TOPIC, pack, 1, (i % 65535) + 1), 0);
      if (label === POLICIES[POLICIES.length - 1].label) row.points = run.points.length;
      row[`fieldnode ${label}`] = per(bytes);
    }
    row["Tasmota JSON/period"] = per(tasmotaBytes(rows));
    row["ESPHome text/reading"] = per(esphomeBytes(rows));
    row["Sparkplug B RBE"] = per(sparkplugBytes(rows));
    table.push(row);
  }
  return table;
}

/** The SKAB recordings in `dir` (every *.csv with the test bed's columns), or one hour of synthetic data. */
export function recordingsIn(files: readonly string[]): { name: string; rows: Reading[][] }[] {
  const out: { name: string; rows: Reading[][] }[] = [];
  for (const file of files) {
    const skab = loadSkab(file);
    if (skab && skab.rows > 0) out.push({ name: file.slice(file.lastIndexOf("/") + 1), rows: skab.readings });
  }
  return out.length > 0 ? out : [{ name: `synthetic (${SKAB_CHANNELS.length} channels, 1 h)`, rows: syntheticSkab(3600) }];
}

/**
 * The table rows (issue 12 item 8, issue 10 item 4): per recording in
 * `context.recordings` (synthetic data when none), fieldnode's wire bytes
 * per acquired sample at compress(5 % of range) with the compact-pack
 * policy (1000 readings / 600 s) beside the three baselines; every policy
 * in the detailed table.
 */
export function compactWireRows(context: BenchContext): BenchRow[] {
  const dir = context.recordings;
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".csv")).sort().map((f) => join(dir, f)) : [];
  const recordings = recordingsIn(files);
  const table = wireRows(recordings);
  context.details.log(`\nWire bytes per acquired sample (whole MQTT PUBLISH frames from mqtt-packet), ${files.length > 0 ? `SKAB recordings in ${dir}` : "synthetic data (no recordings found)"}, 8 channels at 1 Hz. ` +
    `fieldnode: compress(e) at ${E_SHARE * 100} % of each channel's range, SenML-CBOR packs ≤ 1,024 B on "${TELE_TOPIC}", QoS 1, per telemetry.batch_size / max_interval; baselines send every sample (six significant digits):`);
  context.details.table(table);
  const best = `fieldnode ${POLICIES[POLICIES.length - 1].label}`;
  const other = `fieldnode ${POLICIES[POLICIES.length - 2].label}`;
  const defaults = `fieldnode ${POLICIES[0].label}`;
  return table.map((row) => ({
    what: `wire bytes per acquired sample, compress(5 % of range), ${row.recording} (${fmt(Number(row.samples))} samples; whole PUBLISH frames)`,
    fieldnode: `${Number(row[best]).toFixed(2)} B at batch_size / max_interval ${POLICIES[POLICIES.length - 1].label} (${fmt(Number(row.points))} points); ${Number(row[other]).toFixed(2)} B at ${POLICIES[POLICIES.length - 2].label}; ${Number(row[defaults]).toFixed(2)} B at the defaults`,
    baseline: `Tasmota JSON per period ${Number(row["Tasmota JSON/period"]).toFixed(2)} B; ESPHome text topic per reading ${Number(row["ESPHome text/reading"]).toFixed(2)} B; Sparkplug B RBE ${Number(row["Sparkplug B RBE"]).toFixed(2)} B`,
  }));
}
