import { join } from "node:path";
import { startNode, type NodeHandle } from "../../../modules/node.js";
import type { ConsolePort } from "../../../modules/platform.js";
import { createMqttTransport } from "../../node/mqtt-transport.js";
import type { SimOptions } from "../args.js";
import { startEmbeddedBroker } from "../embedded-broker.js";
import { FileStorage } from "../file-storage.js";
import { FlagValueError, preflight } from "../preflight.js";
import { createSimPlatform } from "../sim-platform.js";
import { simulatedBoard, type SimulatedBoard } from "../../../modules/io/models/index.js";
import { SimInputError } from "../machines/input-error.js";
import { loadMachine, placeMachine, type Machine, type RunningMachine } from "../machines/machine.js";
import { checkMachineConfig } from "../machines/sim-run.js";
import { Scheduler } from "../scheduler.js";
import { VirtualTime } from "../virtual-time.js";
import { announceUi, openUiOrExit } from "../dashboard/open-ui.js";
import { CoalescedTimers } from "./coalesced-timers.js";
import { countingTransport, type LinkCount } from "./counting-transport.js";
import { fleetSizeProblem, openFileLimit } from "./fd-limit.js";
import { fleetIds } from "./fleet-ids.js";
import { dueSamplesPerS } from "./due-rate.js";
import { FleetStats } from "./fleet-stats.js";
import { SyncBatch } from "./sync-batch.js";

/** The summary line's period. */
const SUMMARY_MS = 10_000;
/** Nodes booted per turn of the event loop, so the broker sees a ramp, not a wall of CONNECTs. */
const BOOT_BATCH = 10;
/** The boot ramp waits while the running nodes' timers are this late (host ms)... */
const BOOT_BEHIND_MS = 50;
/** ...but at most this long per batch, so a fleet too large for the process still boots (and shows it falls behind). */
const BOOT_WAIT_MAX_MS = 250;

/**
 * Resolves when the nodes already running are on time (their timers at most
 * BOOT_BEHIND_MS late) or after BOOT_WAIT_MAX_MS: the boot ramp takes the
 * CPU the running nodes leave, instead of making them fall behind and catch
 * up later (a burst of samples/s above due, and lag, after the ramp).
 */
async function bootRoom(scheduler: Scheduler): Promise<void> {
  const until = performance.now() + BOOT_WAIT_MAX_MS;
  do await new Promise((resolve) => setTimeout(resolve, 5));
  while (scheduler.behindMs() > BOOT_BEHIND_MS && performance.now() < until);
}

/** Timers fired back to back before sockets get a turn: a fleet's due timers come in thousands. */
const SCHEDULER_BURST = 2000;
/** A stop that hangs (broker gone) ends the process after this. */
const STOP_LIMIT_MS = 10_000;

/** A fleet node has no console: the fleet's terminal carries the summary line. */
const NO_CONSOLE: ConsolePort = { interactive: false, onReceive() {}, write() {} };

/** One node of the fleet, across reboots. */
interface FleetNode {
  id: string;
  storage: FileStorage;
  link: LinkCount;
  handle?: NodeHandle;
  /** The node's clock and board (with its machine) outlive its reboots, as in one-node mode. */
  time: VirtualTime;
  board: SimulatedBoard;
  running?: RunningMachine;
  resetReason: string;
  /** Counter totals of earlier boots (a reboot starts a node's counters at 0). */
  samplesBefore: number;
  ackedBefore: number;
}

/**
 * Runs `count` complete nodes in this process (`fieldnode-sim --nodes N`):
 * the same firmware (startNode), each with its own id (`<--id or "sim">-0001`
 * ..., numbered from `--first`, default 1), its own flash (`--state DIR/<id>`, default `.state/fleet-<prefix>`,
 * fsyncs batched by one SyncBatch) and its own board carrying the
 * `--profile` machine (pump-skid by default) with its seed + the node's
 * number, all on one shared scheduler (hosts/sim/scheduler.ts: one virtual
 * timeline, one timer heap, one host timer; each node's VirtualTime is a
 * view on it) on this process's one event loop, against `--broker` (or
 * the embedded broker). Prints a summary line every 10 s. SIGINT/SIGTERM
 * stop every node cleanly (offline published, sessions closed), sync the
 * flash and exit 0. Before anything starts, a fleet this process cannot
 * open (file descriptors), a prefix too long, a pty console or a flag the
 * node would refuse: one line on stderr and exit 2.
 */
export async function runFleet(options: SimOptions, count: number): Promise<void> {
  const fail = (message: string): never => {
    process.stderr.write(`fieldnode-sim: ${message}\n`);
    process.exit(2);
  };
  const sizeProblem = fleetSizeProblem(count, openFileLimit(), options.broker === undefined);
  if (sizeProblem) fail(sizeProblem);
  if (options.console === "pty") fail("--console pty is one node's console; a fleet (--nodes) runs without a console");
  if (options.replay !== undefined) fail("--replay drives one node; a fleet (--nodes) runs a --profile");
  let machine: Machine | undefined;
  try {
    machine = loadMachine({ profile: options.profile });
  } catch (error) {
    if (!(error instanceof SimInputError)) throw error;
    fail(error.message);
  }
  const prefix = options.id ?? "sim";
  let ids: string[] = [];
  try {
    ids = fleetIds(prefix, count, options.first ?? 1);
  } catch (error) {
    fail((error as Error).message);
  }
  const root = options.stateDir ?? join(".state", `fleet-${prefix}`);
  const syncs = new SyncBatch();
  // One timeline and one timer heap for every node: N nodes cost one host timer, not N.
  const scheduler = new Scheduler({ speed: options.speed, burst: SCHEDULER_BURST });
  const epochMs = Date.now();
  // The machines' 100 ms contact checks of all nodes share one timer per tick.
  const machineTimers = new CoalescedTimers(new VirtualTime({ scheduler, epochMs }));
  // A node's number (not its place in this process) seeds its board and machine: a fleet split over processes with --first runs the same nodes as one process.
  const first = options.first ?? 1;
  const nodes: FleetNode[] = ids.map((id, index) => {
    const time = new VirtualTime({ scheduler, epochMs });
    const board = simulatedBoard(() => time.monotonic(), first + index);
    return { id, storage: new FileStorage(join(root, id), syncs), link: { connected: false, published: 0 }, time, board, resetReason: "power-on", samplesBefore: 0, ackedBefore: 0 };
  });
  let checked: ReturnType<typeof preflight> | undefined;
  try {
    // The flags are the same for every node: checked once, against the first node's flash.
    checked = preflight({ ...options, id: ids[0], brokerUrl: options.broker ?? "mqtt://127.0.0.1:1883", brokerGiven: options.broker !== undefined }, nodes[0].storage, ids[0]);
  } catch (error) {
    fail(`${error instanceof FlagValueError ? "" : "flag: "}${(error as Error).message}`);
  }
  const { uplink, overrides } = checked!;
  try {
    checkMachineConfig(machine!, nodes[0].storage, `sim-fleet-${ids[0]}`, overrides);
  } catch (error) {
    fail((error as Error).message);
  }
  const ui = await openUiOrExit(options.ui);
  const broker = options.broker ? undefined : await startEmbeddedBroker();
  if (broker) process.stdout.write(`embedded broker listening on ${broker.url}\n`);
  const brokerUrl = options.broker ?? broker!.url;
  announceUi(ui, brokerUrl, overrides["mqtt.prefix"]);
  const transport = createMqttTransport();
  let stopping = false;

  const boot = (node: FleetNode, index: number) => {
    const { platform } = createSimPlatform({
      time: node.time,
      board: node.board,
      speed: options.speed,
      storage: node.storage,
      console: NO_CONSOLE,
      mqtt: countingTransport(transport, node.link),
      resetReason: node.resetReason,
      restart: () => void reboot(node, index),
      // Only errors reach the fleet's terminal, each with its node's id.
      log: (level, line) => {
        if (level === "error") process.stdout.write(`${node.id}: ${line}\n`);
      },
      clockSyncDelayMs: options.clockSyncDelayMs,
      hardwareId: `sim-fleet-${node.id}`,
    });
    // The profile's channels and actuators are the defaults, as in one-node mode.
    node.handle = startNode(platform, { overrides: { ...overrides, "node.id": node.id, "mqtt.url": brokerUrl }, defaults: machine!.config }, uplink);
  };
  const reboot = async (node: FleetNode, index: number) => {
    const old = node.handle;
    node.handle = undefined;
    if (old) {
      node.samplesBefore += old.counters.get("samples");
      node.ackedBefore += old.counters.get("tele_acked");
      await old.stop();
    }
    node.resetReason = "software";
    if (!stopping) node.time.still(() => boot(node, index));
  };

  process.stdout.write(`fleet: ${count} nodes ${ids[0]}..${ids[count - 1]} against ${brokerUrl}, flash under ${root}, machine ${machine!.profile.name}\n`);
  const stats = new FleetStats();
  const summary = setInterval(() => {
    let connected = 0;
    let samples = 0;
    let published = 0;
    let acked = 0;
    for (const node of nodes) {
      if (node.link.connected) connected++;
      samples += node.samplesBefore + (node.handle?.counters.get("samples") ?? 0);
      acked += node.ackedBefore + (node.handle?.counters.get("tele_acked") ?? 0);
      published += node.link.published;
    }
    process.stdout.write(`${stats.line({ nodes: count, connected, samples, published, acked })}\n`);
  }, SUMMARY_MS);
  syncs.start();

  const shutdown = async (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    process.stdout.write(`\n${signal}: stopping ${count} nodes\n`);
    const force = setTimeout(() => process.exit(1), STOP_LIMIT_MS);
    force.unref();
    clearInterval(summary);
    stats.stop();
    for (const node of nodes) node.running?.stop();
    await Promise.all(nodes.map((node) => node.handle?.stop()));
    for (const node of nodes) node.time.close();
    scheduler.close();
    await syncs.stop();
    await ui?.close();
    await broker?.close();
    process.stdout.write(`fleet: stopped ${count} nodes\n`);
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  for (let i = 0; i < nodes.length && !stopping; i++) {
    const node = nodes[i];
    // Each node's machine varies by its seed: the profile's plus the node's number less one.
    const own: Machine = { ...machine!, profile: { ...machine!.profile, seed: (machine!.profile.seed + first - 1 + i) >>> 0 } };
    node.running = placeMachine(own, node.board, machineTimers.clockFor(node.time));
    node.time.still(() => boot(node, i));
    if ((i + 1) % BOOT_BATCH === 0) await bootRoom(scheduler);
  }
  // What the summary's samples/s is to be read against: every node's channels at their intervals.
  let due = 0;
  for (const node of nodes) due += node.handle ? dueSamplesPerS(node.handle.config.resolved().channels) : 0;
  if (!stopping) process.stdout.write(`fleet: ${count} nodes booted, ${+due.toFixed(1)} samples/s due (${+(due / count).toFixed(2)} per node)\n`);
}
