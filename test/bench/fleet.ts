/**
 * The fleet row of `npm run bench`: how many nodes one `fieldnode-sim
 * --nodes N --profile pump-skid` process keeps in real time against a
 * Mosquitto the bench spawns (max_connections -1, its open-file limit
 * raised), with CPU and memory per node, beside one node measured in the
 * same run. A size keeps up when, over the summary interval after the one
 * in which the last node booted, every node is connected, samples/s is at
 * least 99 % of what the fleet itself states is due (its "booted" line: the
 * nodes' channels at their intervals, 9 per node for the pump skid) and the
 * event loop's lag p99 stays under 250 ms. Sizes: 1 (baseline), 1,000,
 * 10,000; when 10,000 falls behind, the size the 1,000 nodes' CPU per node
 * predicts for one core is measured too, within about 3 minutes in all.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as net from "node:net";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { openFileLimit } from "../../hosts/sim/fleet/fd-limit.js";
import { startSim, type SimProcess } from "../helpers/sim-process.js";
import { CONSOLE, fmt, type BenchRow, type Details } from "./table.js";

/** The machine every bench node runs: 9 channels at 1 Hz (8 on its ADCs and thermocouple, the drive's frequency over Modbus). */
export const BENCH_PROFILE = "pump-skid";
/** Samples/s a size must reach, as a share of what is due. */
const KEEP_UP = 0.99;
/** Event-loop lag p99 (ms) a size must stay under (timestamps stay exact whatever the lag; it delays publishing). */
const LAG_BOUND_MS = 250;

/** One measured fleet size. */
export interface FleetRow {
  nodes: number;
  connected: number;
  samplesPerS: number;
  /** What the fleet stated is due (its booted line). */
  duePerS: number;
  packsPerS: number;
  ackedPerS: number;
  lagP99Ms: number;
  /** Seconds from start to the booted line. */
  bootS: number;
  /** The simulator's CPU time over wall time during the measured interval (1 = one core), and Mosquitto's. */
  cpuCores: number;
  brokerCores: number;
  rssMiB: number;
  /** The machine's 1-minute load average at the end (other processes share its cores). */
  load: number;
  keptUp: boolean;
  /** Why a size was not measured (e.g. the open-file limit). */
  refused?: string;
}

const SUMMARY = /^fleet: (\d+)\/(\d+) connected, ([0-9.]+) samples\/s, ([0-9.]+) packs\/s published, ([0-9.]+) acked, lag p99 ([0-9.]+) ms max [0-9.]+ ms$/m;
const BOOTED = /^fleet: \d+ nodes booted, ([0-9.]+) samples\/s due/m;

/** The simulator's arguments for a bench fleet of `nodes`: the pump skid, named explicitly (the test helper's own default is the 2-channel climate board). */
export function benchFleetArgs(brokerUrl: string, nodes: number, stateDir: string): string[] {
  return ["--nodes", String(nodes), "--profile", BENCH_PROFILE, "--id", "bench", "--broker", brokerUrl, "--state", stateDir];
}

/** Starts a bench fleet; resolves with the process and the samples/s its booted line states are due. */
export async function startBenchFleet(brokerUrl: string, nodes: number, stateDir: string, bootTimeoutMs = 240_000, onStart?: (sim: SimProcess) => void): Promise<{ sim: SimProcess; duePerS: number; bootedAt: number; bootS: number }> {
  const started = performance.now();
  const sim = startSim(benchFleetArgs(brokerUrl, nodes, stateDir));
  onStart?.(sim);
  const booted = await Promise.race([
    sim.waitFor(BOOTED, bootTimeoutMs).catch(() => Promise.reject(new Error(`not booted in ${bootTimeoutMs / 1000} s`))),
    sim.exited.then((code) => Promise.reject(new Error(`fieldnode-sim exited ${code}: ${sim.stderr.trim()}`))),
  ]);
  return { sim, duePerS: Number(booted[1]), bootedAt: (booted.index ?? 0) + booted[0].length, bootS: (performance.now() - started) / 1000 };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Mosquitto on a free port, any number of clients, its open-file limit raised to `files` (the hard limit permitting). */
async function startBroker(dir: string, files: number): Promise<{ url: string; child: ChildProcess } | undefined> {
  const port = await freePort();
  const conf = join(dir, "mosquitto.conf");
  writeFileSync(conf, `listener ${port} 127.0.0.1\nuser root\npersistence false\nallow_anonymous true\nmax_connections -1\nmax_queued_messages 10000\nlog_dest none\n`);
  const child = spawn("sh", ["-c", `ulimit -n ${files} 2>/dev/null; exec mosquitto -c "${conf}"`], { stdio: "ignore" });
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) return undefined;
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: "127.0.0.1", port }, () => { s.destroy(); resolve(true); });
      s.on("error", () => resolve(false));
    });
    if (up) return { url: `mqtt://127.0.0.1:${port}`, child };
    await new Promise((resolve) => setTimeout(resolve, 100));
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

/** A summary line's figures. */
function summaryOf(match: RegExpMatchArray): { connected: number; samplesPerS: number; packsPerS: number; ackedPerS: number; lagP99Ms: number } {
  const [connected, samplesPerS, packsPerS, ackedPerS, lagP99Ms] = [1, 3, 4, 5, 6].map((i) => Number(match[i]));
  return { connected, samplesPerS, packsPerS, ackedPerS, lagP99Ms };
}

async function measure(broker: { url: string; child: ChildProcess }, nodes: number, bootLimitMs: number): Promise<FleetRow> {
  const root = mkdtempSync(join(tmpdir(), "fieldnode-fleet-bench-"));
  let sim: SimProcess | undefined;
  const empty = { nodes, connected: 0, samplesPerS: 0, duePerS: 0, packsPerS: 0, ackedPerS: 0, lagP99Ms: 0, bootS: 0, cpuCores: 0, brokerCores: 0, rssMiB: 0, keptUp: false };
  try {
    const fleet = await startBenchFleet(broker.url, nodes, root, bootLimitMs, (started) => (sim = started));
    sim = fleet.sim;
    const pid = sim.child.pid!;
    // The interval in which the last node booted still holds the boot ramp, and the next ones may catch up on
    // timers the ramp delayed (samples/s above due): measured is the first interval after it at most 1 % above due.
    let from = fleet.bootedAt;
    let match = await sim.waitFor(SUMMARY, 60_000, from);
    from += (match.index ?? 0) + match[0].length;
    let cpu = 0;
    let brokerCpu = 0;
    for (let interval = 0; interval < 6; interval++) {
      const cpu0 = cpuSeconds(pid);
      const broker0 = cpuSeconds(broker.child.pid!);
      const t0 = performance.now();
      match = await sim.waitFor(SUMMARY, 60_000, from);
      from += (match.index ?? 0) + match[0].length;
      const seconds = (performance.now() - t0) / 1000;
      cpu = (cpuSeconds(pid) - cpu0) / seconds;
      brokerCpu = (cpuSeconds(broker.child.pid!) - broker0) / seconds;
      if (summaryOf(match).samplesPerS <= 1.01 * fleet.duePerS) break;
    }
    const figures = summaryOf(match);
    const keptUp = figures.connected === nodes && figures.samplesPerS >= KEEP_UP * fleet.duePerS && figures.lagP99Ms < LAG_BOUND_MS;
    return { nodes, ...figures, duePerS: fleet.duePerS, bootS: fleet.bootS, cpuCores: cpu, brokerCores: brokerCpu, rssMiB: rssMiB(pid), load: loadavg()[0], keptUp };
  } catch (error) {
    // Not booted in time: the last summary shows how far it got.
    const output = (sim as SimProcess | undefined)?.output ?? "";
    const last = [...output.matchAll(new RegExp(SUMMARY.source, "gm"))].at(-1);
    const pid = (sim as SimProcess | undefined)?.child.pid;
    const rss = pid !== undefined && (sim as SimProcess | undefined)?.child.exitCode === null ? rssMiB(pid) : 0;
    return { ...empty, ...(last ? summaryOf(last) : {}), rssMiB: rss, load: loadavg()[0], refused: (error as Error).message.split("\n")[0] };
  } finally {
    const running = sim as SimProcess | undefined;
    if (running) {
      running.child.kill("SIGINT");
      const killer = setTimeout(() => running.child.kill("SIGKILL"), 20_000);
      await running.exited;
      clearTimeout(killer);
    }
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * Measures one node (the baseline), then `sizes` (1,000 and 10,000) while
 * time is left of `budgetS` (default 190 s), then, when the largest falls
 * behind and time is still left, the size that the CPU per node of the
 * largest one kept predicts for one core (or, none kept, half the smallest
 * that fell behind); each size's boot may take at most
 * 90 s and what is left of the budget (a size that cannot boot in that time
 * falls behind, its last summary showing how far it got). Undefined without Linux /proc or Mosquitto.
 */
export async function fleetFigures(sizes: readonly number[] = [1, 1000, 10_000], log: (line: string) => void = () => {}, budgetS = 190): Promise<FleetRow[] | undefined> {
  if (process.platform !== "linux") return undefined;
  const dir = mkdtempSync(join(tmpdir(), "fieldnode-fleet-broker-"));
  const hard = openFileLimit()?.hard ?? 1024;
  const broker = await startBroker(dir, Math.min(hard, Math.max(...sizes) * 2 + 1024));
  if (!broker) return undefined;
  const started = performance.now();
  const left = () => budgetS * 1000 - (performance.now() - started);
  const rows: FleetRow[] = [];
  const run = async (nodes: number) => {
    // A size ten times the last one measured gets what is left minus a minute for one more size.
    const row = await measure(broker, nodes, Math.max(20_000, Math.min(90_000, left() - 70_000)));
    const figures = `${row.connected} connected, ${row.samplesPerS}/${row.duePerS} samples/s, lag p99 ${row.lagP99Ms} ms`;
    log(`  fleet ${nodes}: ${row.refused ? `${row.refused} (last summary: ${figures}, ${row.rssMiB.toFixed(0)} MiB)` : `${figures}, ${row.cpuCores.toFixed(2)} cores (broker ${row.brokerCores.toFixed(2)}), ${row.rssMiB.toFixed(0)} MiB, booted in ${row.bootS.toFixed(0)} s${row.keptUp ? "" : " (falls behind)"}`}`);
    rows.push(row);
    return row;
  };
  try {
    // Every size is tried (a size that falls behind still shows how far it gets), as long as time is left.
    for (const nodes of sizes) if (nodes === 1 || left() > 45_000) await run(nodes);
    const kept = rows.filter((r) => r.keptUp && r.nodes > 1).sort((a, b) => b.nodes - a.nodes)[0];
    const failed = rows.filter((r) => !r.keptUp && r.nodes > 1).sort((a, b) => a.nodes - b.nodes)[0];
    // None kept beyond one node (a busy machine): half the smallest size that fell behind.
    if (!kept && failed && failed.nodes >= 2 && left() > 40_000) await run(Math.floor(failed.nodes / 2));
    // Only with time to boot it: a size cut short by the budget would say nothing about the process.
    else if (kept && failed && failed.nodes > kept.nodes && left() > 90_000) {
      // One core for the simulator at the CPU per node measured for the largest size kept, rounded down to 500.
      const predicted = Math.floor(kept.nodes / Math.max(kept.cpuCores, 0.01) / 500) * 500;
      const next = Math.min(failed.nodes - 500, Math.max(kept.nodes + 500, predicted));
      if (next > kept.nodes && next < failed.nodes) await run(next);
    }
  } finally {
    broker.child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

/**
 * The fleet rows of `npm run bench`: the largest size kept in real time with
 * its CPU and memory per node, and the 10,000-node attempt, each beside one
 * node measured in the same run; the detailed table goes to `details`.
 */
export async function fleetBench(details: Details = CONSOLE): Promise<BenchRow[]> {
  details.log(`\nFleet: one fieldnode-sim --nodes N --profile ${BENCH_PROFILE} process against Mosquitto; kept in real time = all connected, samples/s >= 99 % of the due rate the fleet states, event-loop lag p99 < ${LAG_BOUND_MS} ms, over a 10 s summary after the boot ramp:`);
  const rows = await fleetFigures([1, 1000, 10_000], (line) => details.log(line));
  const what = "fleet: nodes kept in real time in one process against Mosquitto (pump skid, every channel at 1 Hz)";
  if (!rows || rows.length === 0) return [{ what, fieldnode: "not measured (needs Linux /proc and the mosquitto binary)", baseline: "-" }];
  const base = rows[0];
  const perNodeKiB = (r: FleetRow) => (r === base ? base.rssMiB * 1024 : ((r.rssMiB - base.rssMiB) * 1024) / (r.nodes - 1));
  const usPerSample = (r: FleetRow) => (r.samplesPerS ? (r.cpuCores * 1e6) / r.samplesPerS : Number.NaN);
  details.table(rows.map((r) => ({
    nodes: r.nodes,
    connected: r.connected,
    "samples/s (due)": `${r.samplesPerS} (${r.duePerS})`,
    "packs/s pub/ack": `${r.packsPerS}/${r.ackedPerS}`,
    "lag p99 ms": r.lagP99Ms,
    "boot s": +r.bootS.toFixed(0),
    "sim CPU cores": +r.cpuCores.toFixed(3),
    "broker CPU cores": +r.brokerCores.toFixed(3),
    // CPU per sample acquired hardly depends on whether the process got the cores it wanted (a loaded machine).
    "CPU µs per sample": r.samplesPerS ? +usPerSample(r).toFixed(1) : "-",
    "RSS MiB": +r.rssMiB.toFixed(0),
    "RSS KiB per node above 1 node": r === base ? "(baseline)" : r.refused ? "-" : +perNodeKiB(r).toFixed(0),
    "load avg": +r.load.toFixed(1),
    "kept up": r.refused ? `no (${r.refused})` : r.keptUp ? "yes" : "no",
  })));
  const kept = rows.filter((r) => r.keptUp).sort((a, b) => b.nodes - a.nodes)[0];
  const load = Math.max(...rows.map((r) => r.load)).toFixed(1);
  const duePerNode = base.duePerS / base.nodes;
  const perNode = (r: FleetRow) => `${fmt((r.cpuCores * 1000) / r.nodes, 2)} CPU ms/s and ${r === base ? `${fmt(r.rssMiB)} MiB RSS` : `${fmt(perNodeKiB(r))} KiB RSS`} per node, ${fmt(usPerSample(r), 0)} µs CPU per sample`;
  const figures = (r: FleetRow) => {
    const due = r.duePerS || r.nodes * duePerNode;
    const got = `${fmt(r.connected)} connected, ${fmt(r.samplesPerS)} of ${fmt(due)} samples/s (${fmt((100 * r.samplesPerS) / due, 1)} %), lag p99 ${fmt(r.lagP99Ms)} ms`;
    if (r.refused) return `${fmt(r.nodes)}: falls behind, ${r.refused.replace(/(\d+\.\d+) s/, (_, n: string) => `${fmt(Number(n))} s`)} (${got}, ${fmt(r.rssMiB)} MiB)`;
    return `${fmt(r.nodes)}: ${r.keptUp ? "kept" : "falls behind"}, ${got}; ${perNode(r)}`;
  };
  const result: BenchRow[] = [{
    what: `${what}: largest size kept (1,000 and 10,000 tried; load average up to ${load} on this 2-core machine)`,
    fieldnode: `${kept && kept.nodes > 1 ? fmt(kept.nodes) : "none beyond 1 node"}; ${rows.filter((r) => r !== base).map(figures).join("; ")}`,
    baseline: `1 node: ${perNode(base)}`,
  }];
  return result;
}
