import { parseArgs } from "node:util";
import { brokerUrlProblem } from "../node/broker-url.js";

/** What `fieldnode-sim` was asked to do. */
export interface SimOptions {
  /** `mqtt://host:port` / `mqtts://host:port`; undefined: start the embedded broker. */
  broker?: string;
  id?: string;
  stateDir?: string;
  console: "stdio" | "pty";
  help: boolean;
  /** Config overrides for this run from `--override key=value` (repeatable). */
  configOverrides: Record<string, string>;
  /** `--ca FILE`: the broker's CA certificate (PEM or DER), for this run as mqtt.tls_ca. */
  caFile?: string;
  /** Raw `--uplink` text (parsed by uplink-flags.ts). */
  uplink?: string;
  /** The simulated clock reports "not synchronised" for this long after boot (ms). */
  clockSyncDelayMs: number;
  /** Virtual time runs this many times faster (--speed; default 1). */
  speed: number;
  /** --profile: a shipped machine profile's name or a .json file (checked by hosts/sim/machines). */
  profile?: string;
  /** --replay: a CSV whose rows the node samples (checked by hosts/sim/machines). */
  replay?: string;
  /** `--serial PATH`: bind the RS-485 (Modbus) port to a serial device or pty. */
  serial?: string;
  /** --nodes N: run a fleet of N nodes in this process (hosts/sim/fleet/). */
  nodes?: number;
  /** --first K: a fleet's first node number (ids <id>-K...), so processes splitting a fleet take id ranges; default 1. */
  first?: number;
  /** --ui [PORT]: the dashboard's port (0: a free one); undefined: no dashboard. */
  ui?: number;
}

/** A command-line mistake: main prints it and exits with code 2. */
export class UsageError extends Error {}

export const USAGE = `usage: fieldnode-sim [options]

Runs the fieldnode firmware on this computer, with a simulated board.

  --broker <url>     MQTT broker, mqtt://host:port or mqtts://host:port
                     (default: start an embedded broker on 127.0.0.1 and print its address)
  --id <nodeId>      node id (default: the saved node.id, else derived from the host name)
  --state <dir>      the node's flash: config and outbox files (default: .state/<id>
                     with --id, or the .state directory whose saved node.id is <id>;
                     without --id: .state/<hardware id>)
  --console <mode>   stdio (default): type commands on stdin, like a serial monitor
                     pty: open a pseudo-terminal and print its path, for screen or picocom
                     (needs python3)
  --ca <file>        CA certificate (PEM or DER) that signed the broker's certificate,
                     for an mqtts:// --broker (this run's mqtt.tls_ca)
  --serial <path>    the RS-485 (Modbus RTU) port is this serial device or pty
                     (default: a simulated energy meter, unit 1, and drive, unit 2, at 9600 baud);
                     real time only: refused with --speed above 1
  --override <k>=<v> set a config key for this run only (repeatable), e.g. ch.temp.interval=100
  --uplink <list>    uplink tuning for tests and labs, comma-separated name=number:
                     rate, burst, in-flight, start-jitter-ms (forwarder), flush-ms, offline-flush-ms,
                     index-ms, max-segments (outbox), backoff-base-ms, backoff-cap-ms, max-packet
  --clock-sync-delay <ms>  the wall clock stays unsynchronised this long (like SNTP at boot)
  --speed <n>        the node's clock, timers and timestamps run n times faster (virtual
                     time, 0.1..10000; default 1): --speed 60 replays an hour in a minute
  --profile <p>      the simulated machine: pump-skid (default), cold-room, tank, climate,
                     or a profile .json file (README "Simulated machines")
  --replay <csv>     sample each row of a CSV (first column a timestamp) at its own time
                     offset, one channel per numeric column, then deliver, go offline and
                     exit 0; with --profile, feeds the profile's csv signals instead
  --nodes <n>        run a fleet: n nodes (1..100000) in this process, ids <id>-0001...
                     (--id is the prefix, default "sim"), flash under --state DIR/<node id>,
                     no console; a summary line every 10 s (README "Fleet")
  --first <k>        with --nodes: number the fleet's nodes from k (default 1), so several
                     processes split one fleet: --nodes 5000 --first 5001 runs <id>-5001...
  --ui [port]        serve the dashboard on http://127.0.0.1:port/ (0 or no port: a free one);
                     it shows every node on the broker (README "Dashboard")
  -h, --help         this text

Config precedence: --id overrides node.id, --broker (or the embedded broker's
address) overrides mqtt.url, for this run only (never saved; "show" marks them
[override]) > the config saved in the node's flash (set + save at the console)
> factory defaults.

Type "help" at the console for its commands; Ctrl-C stops the node cleanly.`;

/** Most nodes one fleet process runs (--nodes); larger fleets are split over processes. */
export const FLEET_MAX = 100_000;

/** Highest --first: a fleet's numbers stay under 10^9. */
export const FLEET_FIRST_MAX = 999_000_000;

/** Node ids: lower-case letters, digits and dashes, as in topics and SenML names. */
const NODE_ID = /^[a-z0-9][a-z0-9-]{0,31}$/;

/** Parses argv (without node and script); throws UsageError with a clear message. */
export function parseSimArgs(argv: string[]): SimOptions {
  let parsed;
  try {
    parsed = parseArgs({
      // A bare --ui (no port after it) means a free port.
      args: argv.map((arg, i) => (arg === "--ui" && (i + 1 >= argv.length || argv[i + 1].startsWith("-")) ? "--ui=0" : arg)),
      strict: true,
      allowPositionals: false,
      options: {
        broker: { type: "string" },
        id: { type: "string" },
        state: { type: "string" },
        console: { type: "string", default: "stdio" },
        help: { type: "boolean", short: "h", default: false },
        override: { type: "string", multiple: true, default: [] },
        uplink: { type: "string" },
        ca: { type: "string" },
        serial: { type: "string" },
        "clock-sync-delay": { type: "string", default: "0" },
        speed: { type: "string", default: "1" },
        profile: { type: "string" },
        replay: { type: "string" },
        nodes: { type: "string" },
        first: { type: "string" },
        ui: { type: "string" },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values } = parsed;
  if (values.broker !== undefined) checkBrokerUrl(values.broker);
  if (values.id !== undefined && !NODE_ID.test(values.id))
    throw new UsageError(`--id "${values.id}" is not a node id: use 1-32 of a-z, 0-9 and "-", starting with a letter or digit`);
  if (values.console !== "stdio" && values.console !== "pty") throw new UsageError(`--console must be stdio or pty, got "${values.console}"`);
  if (values.state !== undefined && values.state.trim() === "") throw new UsageError("--state needs a directory");
  if (values.ca !== undefined && values.ca.trim() === "") throw new UsageError("--ca needs a file name");
  if (values.serial !== undefined && values.serial.trim() === "") throw new UsageError("--serial needs a device path");
  const configOverrides: Record<string, string> = {};
  for (const item of values.override ?? []) {
    const eq = item.indexOf("=");
    if (eq < 1) throw new UsageError(`--override "${item}" must be key=value`);
    configOverrides[item.slice(0, eq)] = item.slice(eq + 1);
  }
  const clockSyncDelayMs = Number(values["clock-sync-delay"]);
  if (!Number.isInteger(clockSyncDelayMs) || clockSyncDelayMs < 0)
    throw new UsageError(`--clock-sync-delay must be whole milliseconds >= 0, got "${values["clock-sync-delay"]}"`);
  const speed = Number(values.speed);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(values.speed ?? "") || !(speed >= 0.1 && speed <= 10_000))
    throw new UsageError(`--speed must be a number 0.1..10000, got "${values.speed}"`);
  // A real device answers in real time: at --speed n the master's time-outs and silent intervals would be n times too short.
  if (values.serial !== undefined && speed > 1)
    throw new UsageError(`--serial and --speed ${values.speed} do not go together: the device on ${values.serial} answers in real time, while the node's Modbus time-outs and silent intervals would run ${speed} times faster, so every answer would come too late; drop --speed (or drop --serial for the simulated meter and drive)`);
  if (values.profile !== undefined && values.profile.trim() === "") throw new UsageError("--profile needs a profile name or a .json file");
  if (values.replay !== undefined && values.replay.trim() === "") throw new UsageError("--replay needs a CSV file");
  const nodes = values.nodes === undefined ? undefined : Number(values.nodes);
  if (nodes !== undefined && !(/^[0-9]+$/.test(values.nodes!) && nodes >= 1 && nodes <= FLEET_MAX))
    throw new UsageError(`--nodes must be a whole number 1..${FLEET_MAX}, got "${values.nodes}"`);
  const first = values.first === undefined ? undefined : Number(values.first);
  if (first !== undefined && !(/^[0-9]+$/.test(values.first!) && first >= 1 && first <= FLEET_FIRST_MAX))
    throw new UsageError(`--first must be a whole number 1..${FLEET_FIRST_MAX}, got "${values.first}"`);
  if (first !== undefined && nodes === undefined) throw new UsageError("--first numbers a fleet's nodes: give --nodes too");
  const ui = values.ui === undefined ? undefined : Number(values.ui);
  if (ui !== undefined && !(/^[0-9]+$/.test(values.ui!) && ui <= 65_535)) throw new UsageError(`--ui must be a TCP port 0..65535, got "${values.ui}"`);
  return {
    ui,
    nodes,
    first,
    profile: values.profile,
    replay: values.replay,
    speed,
    configOverrides,
    uplink: values.uplink,
    caFile: values.ca,
    clockSyncDelayMs,
    serial: values.serial,
    broker: values.broker,
    id: values.id,
    stateDir: values.state,
    console: values.console as "stdio" | "pty",
    help: values.help ?? false,
  };
}

/** Accepts mqtt:// and mqtts:// URLs with a host and an optional valid port. */
export function checkBrokerUrl(text: string): void {
  const problem = brokerUrlProblem(text, "put credentials in the node's config");
  if (problem) throw new UsageError(problem);
}
