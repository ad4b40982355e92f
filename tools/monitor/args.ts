import { parseArgs } from "node:util";
import { brokerUrlProblem } from "../../hosts/node/broker-url.js";

/** What `fieldnode-monitor` was asked to do. */
export interface MonitorOptions {
  /** `mqtt://host:port` or `mqtts://host:port`. */
  broker: string;
  /** Topic prefix, as the nodes' `mqtt.prefix`. */
  prefix: string;
  /** Only this node's messages; undefined: every node under the prefix. */
  node?: string;
  /** One JSON object per line instead of readable text. */
  json: boolean;
  /** PEM (or DER) CA file for mqtts://. */
  caFile?: string;
  username?: string;
  /** From `--password` or the FIELDNODE_MONITOR_PASSWORD environment variable. */
  password?: string;
  help: boolean;
}

/** A command-line mistake: main prints it with the usage and exits with code 2. */
export class UsageError extends Error {}

/** Environment variable read when `--password` is not given. */
export const PASSWORD_ENV = "FIELDNODE_MONITOR_PASSWORD";

export const USAGE = `usage: fieldnode-monitor [options]

Subscribes to the fieldnode topics of an MQTT broker and prints one line per
message: telemetry decoded from SenML-CBOR, state, birth, events, command
results; lost (GAP), duplicated (DUP) and replayed (REPLAY) telemetry and
node reboots (NEW-BOOT) are flagged. Ctrl-C prints a summary and exits.

  --broker <url>       mqtt://host:port or mqtts://host:port (default mqtt://127.0.0.1:1883)
  --prefix <prefix>    topic prefix of the nodes (default fieldnode)
  --node <id>          only this node
  --json               one JSON object per line
  --ca <file>          CA certificate (PEM or DER) that signed the broker's certificate (mqtts://)
  --username <name>    MQTT user name
  --password <secret>  MQTT password (better: the ${PASSWORD_ENV} environment variable)
  -h, --help           this text`;

const NODE_ID = /^[a-z0-9][a-z0-9-]{0,31}$/;
const PREFIX = /^[A-Za-z0-9_-]{1,32}(\/[A-Za-z0-9_-]{1,32}){0,3}$/;

/**
 * Parses argv (without node and script) and the environment. Throws
 * `UsageError` naming the flag and the bad value; never reads files.
 */
export function parseMonitorArgs(argv: string[], env: Record<string, string | undefined> = {}): MonitorOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        broker: { type: "string", default: "mqtt://127.0.0.1:1883" },
        prefix: { type: "string", default: "fieldnode" },
        node: { type: "string" },
        json: { type: "boolean", default: false },
        ca: { type: "string" },
        username: { type: "string" },
        password: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const broker = values.broker ?? "mqtt://127.0.0.1:1883";
  checkBroker(broker);
  const prefix = values.prefix ?? "fieldnode";
  if (!PREFIX.test(prefix)) throw new UsageError(`--prefix "${prefix}" is not a topic prefix: use 1-4 levels of A-Z a-z 0-9 _ -, no wildcards`);
  if (values.node !== undefined && !NODE_ID.test(values.node))
    throw new UsageError(`--node "${values.node}" is not a node id: use 1-32 of a-z, 0-9 and "-", starting with a letter or digit`);
  if (values.ca !== undefined && values.ca.trim() === "") throw new UsageError("--ca needs a file name");
  if (values.ca !== undefined && !broker.startsWith("mqtts:")) throw new UsageError(`--ca needs an mqtts:// --broker, got "${broker}"`);
  const password = values.password ?? env[PASSWORD_ENV];
  if (password !== undefined && values.username === undefined) throw new UsageError("a password needs --username");
  return {
    broker,
    prefix,
    node: values.node,
    json: values.json ?? false,
    caFile: values.ca,
    username: values.username,
    password,
    help: values.help ?? false,
  };
}

function checkBroker(text: string): void {
  const problem = brokerUrlProblem(text, "give credentials with --username and --password");
  if (problem) throw new UsageError(problem);
}
