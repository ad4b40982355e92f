/**
 * The fleet row of `npm run bench`: how many nodes (9 channels at 1 Hz each)
 * one `fieldnode-sim --nodes N` process keeps in real time against Mosquitto
 * on this machine, with CPU and memory per node, beside one node measured in
 * the same run. A size keeps up when its summary line (the one after the
 * first with every node connected) shows every node connected, samples/s at least
 * 97 % of N × 9 and event-loop lag p99 under 100 ms. Sizes double from 100
 * until one does not keep up (or `maxNodes`).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as net from "node:net";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { startSim } from "../helpers/sim-process.js";
import { CONSOLE, type BenchRow, type Details } from "./table.js";

/** The default machine (pump-skid profile): 9 channels at 1 Hz per node (eight and the drive's Modbus frequency). */
const CHANNELS = 9;

/** One measured fleet size. */
export interface FleetRow {
  nodes: number;
  connected: number;
  samplesPerS: number;
  expectedPerS: number;
  lagP99Ms: number;
  /** CPU time over wall time during the measured interval (1 = one core). */
  cpuCores: number;
  rssMiB: number;
  /** The machine's 1-minute load average at the end (other processes share its cores). */
  load: number;
  keptUp: boolean;
}

const SUMMARY = /^fleet: (\d+)\/(\d+) connected, ([0-9.]+) samples\/s, [0-9.]+ packs\/s published, [0-9.]+ acked, lag p99 ([0-9.]+) ms max [0-9.]+ ms$/gm;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startBroker(dir: string): Promise<{ url: string; child: ChildProcess } | undefined> {
  const port = await freePort();
  const conf = join(dir, "mosquitto.conf");
  writeFileSync(conf, `listener ${port} 127.0.0.1\nuser root\npersistence false\nallow_anonymous true\nmax_queued_messages 10000\nlog_dest none\n`);
  const child = spawn("mosquitto", ["-c", conf], { stdio: "ignore" });
  const failed = new Promise<boolean>((resolve) => child.on("error", () => resolve(true)));
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: "127.0.0.1", port }, () => { s.destroy(); resolve(true); });
      s.on("error", () => resolve(false));
    });
    if (up) return { url: `mqtt://127.0.0.1:${port}`, child };
    if (await Promise.race([failed, new Promise<boolean>((r) => setTimeout(() => r(false), 100))])) return undefined;
  }
  child.kill();
  return undefined;
}

/** utime + stime of `pid` in seconds (Linux /proc). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmRSS:")) ?? "VmRSS: 0 kB";
  return Number(line.split(/\s+/)[1]) / 1024;
}

async function measure(brokerUrl: string, nodes: number): Promise<FleetRow> {
  const root = mkdtempSync(join(tmpdir(), "fieldnode-fleet-bench-"));
  const sim = startSim(["--nodes", String(nodes), "--id", "bench", "--broker", brokerUrl, "--state", root]);
  try {
    const pid = sim.child.pid!;
    // Measured over the interval after the first summary with every node connected (at most 6 summaries: the boot ramp).
    let from = 0;
    for (let line = 0; line < 6; line++) {
      const match = await sim.waitFor(/^fleet: (\d+)\/\d+ connected.*$/m, 120_000, from);
      from += (match.index ?? 0) + match[0].length;
      if (Number(match[1]) === nodes) break;
    }
    const cpu0 = cpuSeconds(pid);
    const t0 = performance.now();
    await sim.waitFor(/^fleet: \d+\/\d+ connected.*$/m, 60_000, from);
    const cpu = (cpuSeconds(pid) - cpu0) / ((performance.now() - t0) / 1000);
    const rss = rssMiB(pid);
    const match = [...sim.output.slice(from).matchAll(SUMMARY)][0];
    const connected = Number(match[1]);
    const samplesPerS = Number(match[3]);
    const lagP99Ms = Number(match[4]);
    const expectedPerS = nodes * CHANNELS;
    return { nodes, connected, samplesPerS, expectedPerS, lagP99Ms, cpuCores: cpu, rssMiB: rss, load: loadavg()[0], keptUp: connected === nodes && samplesPerS >= 0.97 * expectedPerS && lagP99Ms < 100 };
  } finally {
    sim.child.kill("SIGINT");
    await sim.exited;
    rmSync(root, { recursive: true, force: true });
  }
}

/** Measures one node (the baseline) and doubling fleets from 100; undefined without Mosquitto or /proc. */
export async function fleetFigures(maxNodes = 3200, log: (line: string) => void = () => {}): Promise<FleetRow[] | undefined> {
  if (process.platform !== "linux") return undefined;
  const dir = mkdtempSync(join(tmpdir(), "fieldnode-fleet-broker-"));
  const broker = await startBroker(dir);
  if (!broker) return undefined;
  const rows: FleetRow[] = [];
  try {
    for (let nodes = 1; nodes <= maxNodes; nodes = nodes === 1 ? 100 : nodes * 2) {
      const row = await measure(broker.url, nodes);
      log(`  fleet ${nodes}: ${row.samplesPerS}/${row.expectedPerS} samples/s, lag p99 ${row.lagP99Ms} ms, ${row.cpuCores.toFixed(2)} cores, ${row.rssMiB.toFixed(0)} MiB${row.keptUp ? "" : " (falls behind)"}`);
      rows.push(row);
      if (!row.keptUp) break;
    }
  } finally {
    broker.child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

/** The fleet rows of `npm run bench` (each size beside the one-node baseline of the same run); the detailed table goes to `details`. */
export async function fleetBench(details: Details = CONSOLE): Promise<BenchRow[]> {
  details.log(`\nFleet: one fieldnode-sim --nodes N process against Mosquitto, ${CHANNELS} channels at 1 Hz per node; kept in real time = all connected, samples/s >= 97 % of N x ${CHANNELS}, event-loop lag p99 < 100 ms (over the 10 s after the first summary with every node connected):`);
  const rows = await fleetFigures(3200, (line) => details.log(line));
  if (!rows || rows.length === 0) {
    return [{ what: "fleet: nodes kept in real time (9 channels at 1 Hz each, one process, Mosquitto)", fieldnode: "not measured (needs Linux /proc and the mosquitto binary)", baseline: "-" }];
  }
  const base = rows[0];
  details.table(rows.map((r) => ({
    nodes: r.nodes,
    connected: r.connected,
    "samples/s (of N x 9)": `${r.samplesPerS} (${r.expectedPerS})`,
    "lag p99 ms": r.lagP99Ms,
    "CPU cores": +r.cpuCores.toFixed(3),
    "CPU ms per node per s": +((r.cpuCores * 1000) / r.nodes).toFixed(2),
    "RSS MiB": +r.rssMiB.toFixed(0),
    "RSS KiB per node above 1 node": r.nodes === 1 ? "(baseline)" : +(((r.rssMiB - base.rssMiB) * 1024) / (r.nodes - 1)).toFixed(0),
    "load avg": +r.load.toFixed(1),
    "kept up": r.keptUp ? "yes" : "no",
  })));
  const kept = rows.filter((r) => r.keptUp);
  const largest = kept.length ? kept[kept.length - 1] : undefined;
  details.log(`  largest fleet kept in real time here: ${largest?.nodes ?? 0} nodes (${rows.length} sizes tried; the load average shows how much of the 2 cores other processes took)`);
  const perNode = (r: FleetRow) => `${((r.cpuCores * 1000) / r.nodes).toFixed(2)} CPU ms/s, ${r.nodes === 1 ? r.rssMiB.toFixed(0) + " MiB" : (((r.rssMiB - base.rssMiB) * 1024) / (r.nodes - 1)).toFixed(0) + " KiB"} per node`;
  return [{
    what: `fleet: nodes kept in real time in one process against Mosquitto (9 channels at 1 Hz each; sizes doubled from 100 until one fell behind; load average ${rows[rows.length - 1].load.toFixed(1)} on this machine)`,
    fieldnode: largest && largest.nodes > 1 ? `${largest.nodes} nodes: ${perNode(largest)}` : "none beyond 1 node",
    baseline: `1 node: ${perNode(base)}`,
  }];
}
