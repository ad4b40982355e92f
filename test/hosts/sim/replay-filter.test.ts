import test from "ava";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brokerTest, startMosquitto } from "../../helpers/mosquitto.js";
import { mosquittoSub } from "../../helpers/mosquitto-sub.js";
import { seededRandom } from "../../helpers/seeded-random.js";
import { seriesError } from "../../helpers/series-check.js";
import { resolvedRecords } from "../../helpers/senml-records.js";
import { startSim } from "../../helpers/sim-process.js";

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("utf8");
const E = 0.05;

/** A SKAB-like CSV of `rows` rows 1 s apart: a slow noisy Pressure and a Flow; returns the file and the rows. */
function fixture(rows: number, seed: number): { file: string; rows: { offsetMs: number; pressure: number }[] } {
  const random = seededRandom(seed);
  const lines = ["datetime;Pressure;Flow"];
  const out: { offsetMs: number; pressure: number }[] = [];
  const start = Date.UTC(2020, 1, 8, 13, 30, 47);
  for (let i = 0; i < rows; i++) {
    const pressure = Number((Math.sin(i / 15) + (random() - 0.5) * 0.04).toFixed(4));
    const flow = Number((120 + random() * 3).toFixed(3));
    lines.push(`${new Date(start + i * 1000).toISOString().replace("T", " ").slice(0, 19)};${pressure};${flow}`);
    out.push({ offsetMs: i * 1000, pressure });
  }
  const file = join(mkdtempSync(join(tmpdir(), "fieldnode-replay-filter-")), "pump.csv");
  writeFileSync(file, `${lines.join("\n")}\n`);
  return { file, rows: out };
}

test("--replay with a bad --override ch.<column>.filter: one line naming the column, exit 2 before anything starts", async (t) => {
  const { file } = fixture(5, 1);
  const sim = startSim(["--broker", "mqtt://127.0.0.1:1", "--state", mkdtempSync(join(tmpdir(), "fieldnode-")), "--replay", file, "--override", "ch.pressure.filter=compress(0.05) | medain(3)"]);
  t.is(await sim.exited, 2);
  t.is(sim.stderr, 'fieldnode-sim: --override ch.pressure.filter=compress(0.05) | medain(3): ch.pressure.filter: column 18: unknown filter "medain"; did you mean "median"?\n');
  t.is(sim.output, "", "nothing started");
});

brokerTest("--replay --override ch.pressure.filter=compress(e): pressure sends fewer points than flow, and every row lies within e of its interpolated series", async (t) => {
  const broker = await startMosquitto({ extraConfig: "max_queued_messages 0\nmax_inflight_messages 0\n" });
  if (!broker) return;
  const id = "replay-filter";
  const { file, rows } = fixture(200, 7);
  const sub = mosquittoSub(broker.port, `fieldnode/${id}/#`);
  await new Promise((r) => setTimeout(r, 300));
  const sim = startSim(["--broker", broker.url, "--id", id, "--state", mkdtempSync(join(tmpdir(), "fieldnode-")), "--replay", file, "--speed", "50", "--override", `ch.pressure.filter=compress(${E})`]);
  try {
    t.is(await sim.exited, 0, `exit code; stderr: ${sim.stderr}`);
    await sub.until((all) => all.some((m) => m.topic === `fieldnode/${id}/state` && text(m.payload) === "offline"), 10_000);
    const readings: { n: string; v: number; at: number }[] = [];
    for (const m of sub.messages.filter((m) => m.topic === `fieldnode/${id}/tele`)) {
      for (const r of resolvedRecords(m.payload)) readings.push({ n: r.n, v: r.v as number, at: r.at });
    }
    const flow = readings.filter((r) => r.n === "flow");
    const first = Math.min(...flow.map((r) => r.at));
    const pressure = readings.filter((r) => r.n === "pressure").map((r) => ({ offsetMs: Math.round((r.at - first) * 1000), v: r.v })).sort((a, b) => a.offsetMs - b.offsetMs);
    t.is(flow.length, rows.length, "the unfiltered column sends every row");
    t.true(pressure.length >= 2 && pressure.length < flow.length / 2, `pressure sent ${pressure.length} points, flow ${flow.length}`);
    const error = seriesError(rows.map((r) => ({ at: r.offsetMs, value: r.pressure })), pressure.map((p) => ({ at: p.offsetMs, value: p.v })));
    t.is(error.uncovered, 0, `the reported series spans every row: rows ${rows[0].offsetMs}..${rows[rows.length - 1].offsetMs} ms, points ${pressure[0]?.offsetMs}..${pressure[pressure.length - 1]?.offsetMs} ms`);
    // float32 on the wire: a few ulps of slack.
    t.true(error.max <= E * (1 + 1e-5) + 1e-6, `worst error ${error.max} for e ${E}`);
  } finally {
    sim.child.kill("SIGKILL");
    sub.stop();
    await broker.stop();
  }
});
