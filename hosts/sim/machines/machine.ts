/**
 * A simulated machine, assembled from `--profile` and `--replay`: the
 * profile (or one made from a replay CSV), its plant, the node config it
 * implies, and, once placed on a board, its chips, feedback contacts and
 * fault schedule. Everything that can be wrong with the inputs is found by
 * `loadMachine`, before anything starts (SimInputError: exit 2).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { SimulatedBoard } from "../../../modules/io/models/index.js";
import { placeChips, type PlacedChip } from "./chip-bindings.js";
import { FaultInjector } from "./fault-injector.js";
import { SimInputError } from "./input-error.js";
import { Plant } from "./plant.js";
import { parseProfile, profileConfig, type Profile } from "./profile.js";
import { modbusInstanceNames } from "./profile-modbus.js";
import { CSV_MAX_BYTES, parseReplayCsv, type ReplayTable } from "./replay-csv.js";
import { columnIndex, ReplaySource } from "./replay-source.js";
import type { SignalSpec } from "./signals.js";

/** Where the shipped profiles are (hosts/sim/profiles, next to the sources; dist/ has none). */
export const PROFILE_DIR = fileURLToPath(new URL("../../../../hosts/sim/profiles/", import.meta.url));
/** The repository's root (dist/hosts/sim/machines/ is four levels below it). */
const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

/**
 * `$SKAB` in a profile's data.csv: the SKAB recordings in `shared/data/skab`
 * beside the repository (or beside the directory of its worktree), or
 * FIELDNODE_SKAB_DIR when set. Undefined when there is none.
 */
export function skabDir(): string | undefined {
  const candidates = [process.env.FIELDNODE_SKAB_DIR, join(REPO_ROOT, "..", "shared", "data", "skab"), join(REPO_ROOT, "..", "..", "shared", "data", "skab")];
  return candidates.find((dir) => dir !== undefined && existsSync(dir));
}
/** The profile when neither --profile nor --replay is given. */
export const DEFAULT_PROFILE = "pump-skid";
/** First I2C address of the probes a replay CSV gets (one per column). */
const REPLAY_PROBE_BASE = 0x10;

export interface MachineOptions {
  /** --profile: a shipped profile's name, or a .json file. */
  profile?: string;
  /** --replay: a CSV file. */
  replay?: string;
  /** --serial: the RS-485 port is a real one, so a profile's simulated Modbus part is left out. */
  realBus?: boolean;
}

/** A loaded machine, not yet placed on a board. */
export interface Machine {
  profile: Profile;
  /** The node config the machine implies (`ch.*`, `act.*`, and for a replay the telemetry), `key = text`. */
  config: Record<string, string>;
  /** True for `--replay` alone: the CSV's channels replace the node's for this run (they are overrides, not defaults). */
  replayOnly: boolean;
  /** The replay CSV, when one is read. */
  table?: ReplayTable;
  /** True when `table` is the --replay file (not a profile's own data.csv): the run ends after its last row. */
  replayed?: boolean;
  /** What the console says about it at start. */
  summary: string;
}

/** What a machine placed on a board gives the simulator. */
export interface RunningMachine {
  plant: Plant;
  chips: PlacedChip[];
  faults: FaultInjector;
  /** The replay, when the node's samples follow a CSV's rows. */
  replay?: ReplaySource;
  /** Stops the machine's own timers. */
  stop(): void;
}

/**
 * Reads and checks the profile and the CSV. Throws SimInputError naming the
 * file, line or field: a profile or CSV that does not parse or validate, a
 * csv column the file lacks, a csv signal with neither data nor fallback,
 * --replay with a profile that reads no CSV.
 */
export function loadMachine(options: MachineOptions): Machine {
  const table = options.replay === undefined ? undefined : readReplay(options.replay);
  if (table && options.profile === undefined) {
    const profile = replayProfile(table);
    const config = profileConfig(profile);
    // Packs follow the rows: at most max_interval (10 s) late, whatever the file's pace.
    return { profile, config, replayOnly: true, table, replayed: true, summary: `replay ${table.file}: ${table.rows.length} rows, ${table.columns.length} channels (${table.columns.map((c) => c.name).join(", ")})` };
  }
  const profile = readProfile(options.profile ?? DEFAULT_PROFILE);
  // --serial: the port is a real one, the profile's simulated slaves are not on it (nor its devices, channels and actuators for them).
  if (options.realBus) delete profile.modbus;
  const csvChannels = profile.channels.filter((c) => usesCsv(c.signal));
  let data = table;
  if (table && csvChannels.length === 0) throw new SimInputError(`--replay ${table.file}: profile ${profile.file} reads no CSV columns (no channel has a csv signal)`);
  if (!data && profile.data) {
    const path = dataPath(profile.data.csv, profile.file);
    if (existsSync(path)) data = readReplay(path);
    else for (const ch of csvChannels) if (!ch.fallback) throw new SimInputError(`profile ${profile.file}: channels.${ch.name}.fallback: needed, as data.csv ${path} is absent`);
  }
  if (data) for (const ch of csvChannels) for (const column of csvColumns(ch.signal)) {
    try {
      columnIndex(data, column);
    } catch (error) {
      throw new SimInputError(`profile ${profile.file}: channels.${ch.name}.signal.column: ${(error as Error).message}`);
    }
  }
  const channelNames = [...profile.channels.map((c) => c.name), ...modbusInstanceNames(profile.modbus, "ch")];
  const actuatorCount = profile.actuators.length + modbusInstanceNames(profile.modbus, "act").length;
  const source = data ? `, data ${data.file} (${data.rows.length} rows${table ? "" : profile.data?.loop ? ", looping" : ""})` : profile.data ? ", data file absent: model signals" : "";
  return {
    profile, config: profileConfig(profile), replayOnly: false, table: data, replayed: table !== undefined,
    summary: `profile ${profile.name}: ${channelNames.length} channels (${channelNames.join(", ")}), ${actuatorCount} actuator(s)${source}`,
  };
}

/**
 * Places `machine` on `board`: the plant on the machine's own clock `now`
 * (it runs on across node reboots), its chips, feedback contacts and the
 * fault schedule (timers from `timers`). `onReplayDone` runs when a replay's
 * last row has been sampled: for `--replay` alone when every probe has
 * served it; for a profile fed by `--replay`, two of its longest sample
 * intervals after the last row's offset (a converter's reading lags one
 * interval), the file is not looped.
 */
export function placeMachine(machine: Machine, board: SimulatedBoard, clock: { now(): number; once(fn: () => void, ms: number): unknown; clear(handle: unknown): void }, onReplayDone?: () => void): RunningMachine {
  const { profile } = machine;
  const actuatorLevel = (name: string): number => {
    const spec = profile.actuators.find((a) => a.name === name)!;
    const driven = spec.type === "pwm" ? board.pins.duty.get(spec.pin) : board.pins.levels.get(spec.pin);
    // Before the node opens its outputs the machine is in the state the node will drive at boot.
    if (driven === undefined) return spec.safe_state / 100;
    const fraction = spec.type === "pwm" ? driven / 1023 : driven ? 1 : 0;
    return spec.invert ? 1 - fraction : fraction;
  };
  let replay: ReplaySource | undefined;
  let columns: ((column: string, t: number) => number) | undefined;
  if (machine.table && machine.replayOnly) {
    replay = new ReplaySource(machine.table, clock.now, onReplayDone);
    const probes = machine.table.columns.map((_, i) => replay!.probe(i));
    columns = (column) => probes[columnIndex(machine.table!, column)].value();
  } else if (machine.table) {
    columns = ReplaySource.columns(machine.table, !machine.replayed && (profile.data?.loop ?? false));
  }
  const plant = new Plant(profile, { now: clock.now, actuator: actuatorLevel, columns });
  const probes = replay ? machine.table!.columns.map((_, i) => replay!.probe(i)) : [];
  const chips = placeChips(board, profile, plant, replay ? (channel) => probes[machine.table!.columns.findIndex((c) => c.name === channel)]?.next : undefined);
  const stops: (() => void)[] = [];
  for (const a of profile.actuators) {
    if (a.feedback_pin === undefined) continue;
    stops.push(followPin(board, a.feedback_pin, () => actuatorLevel(a.name) > 0 ? 1 : 0, a.feedback_delay_s * 1000, clock));
  }
  if (machine.table && machine.replayed && !replay && onReplayDone) {
    const longest = Math.max(...profile.channels.map((c) => c.interval_ms));
    const end = clock.once(onReplayDone, machine.table.rows[machine.table.rows.length - 1].offsetMs + 2 * longest);
    stops.push(() => clock.clear(end));
  }
  const faults = new FaultInjector(plant, chips, clock);
  faults.schedule(profile.faults);
  return { plant, chips, faults, replay, stop: () => { for (const stop of stops) stop(); faults.stop(); } };
}

/**
 * A contact that follows `level()` after `delayMs` (a contactor's auxiliary
 * contact, a flow switch): checked every 100 ms of machine time.
 */
function followPin(board: SimulatedBoard, pin: number, level: () => number, delayMs: number, clock: { now(): number; once(fn: () => void, ms: number): unknown; clear(handle: unknown): void }): () => void {
  let want = level();
  let since = clock.now();
  board.pins.levels.set(pin, want);
  let timer: unknown;
  const tick = () => {
    const now = clock.now();
    const l = level();
    if (l !== want) {
      want = l;
      since = now;
    }
    if (now - since >= delayMs) board.pins.levels.set(pin, want);
    timer = clock.once(tick, 100);
  };
  timer = clock.once(tick, 100);
  return () => clock.clear(timer);
}

/** A profile for a replay CSV alone: one probe and one unfiltered channel per numeric column, values as written. */
export function replayProfile(table: ReplayTable): Profile {
  if (table.columns.length > 16) throw new SimInputError(`replay ${table.file}: ${table.columns.length} numeric columns; a node has at most 16 channels`);
  return {
    file: table.file,
    name: `replay of ${table.file}`,
    description: "",
    seed: 1,
    rules: {},
    chips: table.columns.map((c, i) => ({ id: c.name, type: "probe", address: REPLAY_PROBE_BASE + i })),
    channels: table.columns.map((c) => ({
      name: c.name, chip: c.name, measure: "value", unit: "", interval_ms: 1000,
      signal: { kind: "csv", column: c.header, scale: 1, offset: 0 }, couplings: [],
    })),
    actuators: [],
    faults: [],
  };
}

/** Reads a profile by shipped name or file path. */
function readProfile(nameOrFile: string): Profile {
  const isFile = nameOrFile.includes("/") || nameOrFile.endsWith(".json");
  const path = isFile ? nameOrFile : join(PROFILE_DIR, `${nameOrFile}.json`);
  if (!isFile && !/^[a-z0-9][a-z0-9-]{0,39}$/.test(nameOrFile)) throw new SimInputError(`--profile ${JSON.stringify(nameOrFile.slice(0, 40))}: not a profile name or .json file`);
  if (!existsSync(path)) {
    const known = shippedProfiles();
    throw new SimInputError(isFile ? `profile ${nameOrFile}: no such file` : `--profile ${nameOrFile}: no such profile (shipped: ${known.join(", ")}; or give a .json file)`);
  }
  return parseProfile(readText(path, "profile"), isFile ? nameOrFile : `${nameOrFile}.json`);
}

/** Names of the shipped profiles. */
export function shippedProfiles(): string[] {
  try {
    return readdirSync(PROFILE_DIR).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5)).sort();
  } catch {
    return [];
  }
}

function readReplay(file: string): ReplayTable {
  return parseReplayCsv(readText(file, "replay"), file);
}

function readText(file: string, what: string): string {
  try {
    if (statSync(file).size > CSV_MAX_BYTES) throw new SimInputError(`${what} ${file}: larger than ${CSV_MAX_BYTES} bytes`);
    return readFileSync(file, "utf8");
  } catch (error) {
    if (error instanceof SimInputError) throw error;
    throw new SimInputError(`${what} ${file}: cannot read: ${(error as Error).message}`);
  }
}

/** A profile's data.csv path: `$SKAB/...` in the SKAB directory, else relative to the profile's file (shipped ones: the profile directory). */
function dataPath(csv: string, profileFile: string): string {
  if (csv.startsWith("$SKAB/")) return join(skabDir() ?? join(REPO_ROOT, "..", "shared", "data", "skab"), csv.slice(6));
  if (isAbsolute(csv)) return csv;
  const base = profileFile.includes("/") ? dirname(resolve(profileFile)) : PROFILE_DIR;
  return join(base, csv);
}

function usesCsv(signal: SignalSpec): boolean {
  return signal.kind === "csv" || (signal.add ?? []).some(usesCsv);
}

function csvColumns(signal: SignalSpec): string[] {
  return [...(signal.kind === "csv" ? [signal.column] : []), ...(signal.add ?? []).flatMap(csvColumns)];
}
