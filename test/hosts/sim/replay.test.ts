import test from "ava";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Decoder } from "cbor-x";
import { brokerTest, startMosquitto } from "../../helpers/mosquitto.js";
import { mosquittoSub } from "../../helpers/mosquitto-sub.js";
import { seededRandom } from "../../helpers/seeded-random.js";
import { resolvedRecords } from "../../helpers/senml-records.js";
import { startSim } from "../../helpers/sim-process.js";

/** Integer-labelled maps stay Maps, as a SenML-CBOR receiver sees them (RFC 8428 §6). */
const decode = (bytes: Uint8Array) => new Decoder({ mapsAsObjects: false, useRecords: false }).decode(bytes) as Map<number, unknown>[];
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("utf8");

/**
 * A SKAB-like CSV (";", a datetime column, irregular 1-3 s steps) of `rows`
 * rows with values of at most 6 significant digits, as SKAB writes them;
 * returns the file and the expected rows (offset ms, values by channel).
 */
function fixture(rows: number, seed: number): { file: string; expected: { offsetMs: number; values: Record<string, number> }[] } {
  const random = seededRandom(seed);
  const lines = ["datetime;Accelerometer1RMS;Volume Flow RateRMS;Current;current;anomaly"];
  const expected: { offsetMs: number; values: Record<string, number> }[] = [];
  let t = Date.UTC(2020, 2, 9, 10, 14, 33);
  const start = t;
  for (let i = 0; i < rows; i++) {
    const v = [Number((random() * 0.3).toFixed(6)), Number((100 + random() * 30).toFixed(3)), Number((random() * 4 - 1).toFixed(5)), i, i % 7 === 0 ? 1 : 0];
    const stamp = new Date(t).toISOString().replace("T", " ").slice(0, 19);
    lines.push([stamp, ...v.map(String)].join(";"));
    expected.push({ offsetMs: t - start, values: { accelerometer1rm: v[0], volume_flow_rate: v[1], current: v[2], current2: v[3], anomaly: v[4] } });
    t += 1000 * (1 + Math.floor(random() * 3));
  }
  const dir = mkdtempSync(join(tmpdir(), "fieldnode-replay-"));
  const file = join(dir, "skab-like.csv");
  writeFileSync(file, `${lines.join("\n")}\n`);
  return { file, expected };
}

/**
 * The decimal a value stands for: the node sends a number as float32 when
 * that keeps its decimal digits (README), so the shortest decimal that
 * gives the same float32 is the value as written.
 */
function asWritten(v: number): number {
  if (Math.fround(v) !== v) return v;
  for (let digits = 1; digits <= 9; digits++) {
    const d = Number(v.toPrecision(digits));
    if (Math.fround(d) === v) return d;
  }
  return v;
}

/** Every reading of `packs` as (channel, value, seconds after the first record of the run). */
function readingsOf(packs: Uint8Array[]) {
  const out: { n: string; v: number; at: number; u: unknown }[] = [];
  for (const pack of packs) {
    for (const r of resolvedRecords(pack)) {
      if (r.n.startsWith("_")) continue;
      out.push({ n: r.n, v: asWritten(r.v as number), at: r.at, u: r.u });
    }
  }
  const first = Math.min(...out.map((r) => r.at));
  return out.map((r) => ({ ...r, offsetMs: Math.round((r.at - first) * 1000) }));
}

async function replay(t: import("ava").ExecutionContext, rows: number, speed: number, id: string) {
  // No per-client queue limit: a slow subscriber must not lose what a fast replay sends.
  const broker = await startMosquitto({ extraConfig: "max_queued_messages 0\nmax_inflight_messages 0\n" });
  if (!broker) return;
  const { file, expected } = fixture(rows, rows);
  const sub = mosquittoSub(broker.port, `fieldnode/${id}/#`);
  await new Promise((r) => setTimeout(r, 300));
  const sim = startSim(["--broker", broker.url, "--id", id, "--state", mkdtempSync(join(tmpdir(), "fieldnode-")), "--replay", file, "--speed", String(speed)]);
  try {
    t.is(await sim.exited, 0, `exit code; stderr: ${sim.stderr}`);
    await sub.until((all) => all.some((m) => m.topic === `fieldnode/${id}/state` && text(m.payload) === "offline"), 10_000);
    const payloads = sub.messages.filter((m) => m.topic === `fieldnode/${id}/tele`).map((m) => m.payload);
    const packs = payloads.map((p) => decode(p));
    const readings = readingsOf(payloads);
    const seqs = packs.map((p) => p[0].get(2) as number);
    t.deepEqual(seqs, seqs.map((_, i) => i + 1), "every pack once, in order, none lost");
    t.false(sub.messages.some((m) => m.topic === `fieldnode/${id}/evt` && text(m.payload).includes("outbox_loss")));
    const channels = ["accelerometer1rm", "volume_flow_rate", "current", "current2", "anomaly"];
    t.deepEqual([...new Set(readings.map((r) => r.n))].sort(), [...channels].sort(), "one channel per numeric column, named after its header");
    t.true(readings.every((r) => r.u === undefined), "no unit: the file names none");
    for (const channel of channels) {
      const got = readings.filter((r) => r.n === channel).map((r) => [r.offsetMs, r.v]);
      t.deepEqual(got, expected.map((e) => [e.offsetMs, e.values[channel]]), `${channel}: every row once, its value as written at its own offset`);
    }
    t.regex(sim.output, /replay .*: \d+ rows, 5 channels/);
    const states = sub.messages.filter((m) => m.topic === `fieldnode/${id}/state`).map((m) => text(m.payload));
    t.is(states.at(-1), "offline");
  } finally {
    sim.child.kill("SIGKILL");
    sub.stop();
    await broker.stop();
  }
}

brokerTest("--replay: each CSV row reaches an independent subscriber once, with its values as written and its time offset, then offline and exit 0", async (t) => {
  await replay(t, 40, 20, "replay-1");
});

brokerTest("--speed: 40 min of rows replayed at 300 times real time keep their exact offsets", async (t) => {
  // 1200 rows 1-3 s apart: about 40 minutes of machine time, about 8 s of real time.
  await replay(t, 1200, 300, "replay-2");
});

test("a replay CSV that does not parse: one line naming the file and line, exit 2 before anything starts", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "fieldnode-replay-"));
  const file = join(dir, "bad.csv");
  writeFileSync(file, "time;Pressure\n1;0.5\n2;high\n");
  const sim = startSim(["--broker", "mqtt://127.0.0.1:1", "--state", dir, "--replay", file]);
  t.is(await sim.exited, 2);
  t.is(sim.stderr, `fieldnode-sim: replay ${file}: line 3: column "Pressure": "high" is not a number\n`);
  t.is(sim.output, "", "nothing started");
});
