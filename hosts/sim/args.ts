import { parseArgs } from "node:util";

/** What `fieldnode-sim` was asked to do. */
export interface SimOptions {
  /** `mqtt://host:port` / `mqtts://host:port`; undefined: start the embedded broker. */
  broker?: string;
  id?: string;
  stateDir?: string;
  console: "stdio";
  help: boolean;
}

/** A command-line mistake: main prints it and exits with code 2. */
export class UsageError extends Error {}

export const USAGE = `usage: fieldnode-sim [options]

Runs the fieldnode firmware on this computer, with a simulated board.

  --broker <url>     MQTT broker, mqtt://host:port or mqtts://host:port
                     (default: start an embedded broker on 127.0.0.1 and print its address)
  --id <nodeId>      node id (default: derived from the host name)
  --state <dir>      the node's flash: config and outbox files (default: .state/<nodeId>)
  --console <mode>   stdio (default): type commands on stdin, like a serial monitor
  -h, --help         this text

Type "help" at the console for its commands; Ctrl-C stops the node cleanly.`;

/** Node ids: lower-case letters, digits and dashes, as in topics and SenML names. */
const NODE_ID = /^[a-z0-9][a-z0-9-]{0,31}$/;

/** Parses argv (without node and script); throws UsageError with a clear message. */
export function parseSimArgs(argv: string[]): SimOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        broker: { type: "string" },
        id: { type: "string" },
        state: { type: "string" },
        console: { type: "string", default: "stdio" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values } = parsed;
  if (values.broker !== undefined) checkBrokerUrl(values.broker);
  if (values.id !== undefined && !NODE_ID.test(values.id))
    throw new UsageError(`--id "${values.id}" is not a node id: use 1-32 of a-z, 0-9 and "-", starting with a letter or digit`);
  if (values.console !== "stdio") throw new UsageError(`--console must be stdio, got "${values.console}"`);
  if (values.state !== undefined && values.state.trim() === "") throw new UsageError("--state needs a directory");
  return {
    broker: values.broker,
    id: values.id,
    stateDir: values.state,
    console: values.console,
    help: values.help ?? false,
  };
}

/** Accepts mqtt:// and mqtts:// URLs with a host and an optional valid port. */
export function checkBrokerUrl(text: string): void {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--broker "${text}" is not a URL; expected mqtt://host:port or mqtts://host:port`);
  }
  if (url.protocol !== "mqtt:" && url.protocol !== "mqtts:")
    throw new UsageError(`--broker "${text}": scheme must be mqtt:// or mqtts://, got ${url.protocol}//`);
  if (!url.hostname) throw new UsageError(`--broker "${text}" has no host`);
  if (url.pathname !== "" && url.pathname !== "/") throw new UsageError(`--broker "${text}": a broker URL has no path`);
  if (url.username || url.password) throw new UsageError(`--broker: put credentials in the node's config, not in the URL`);
}
