#!/usr/bin/env node
import { randomBytes } from "node:crypto";
import { readCaFile } from "../../hosts/node/ca-file.js";
import { createMqttTransport } from "../../hosts/node/mqtt-transport.js";
import type { MqttConnection, MqttFailure } from "../../modules/platform.js";
import { parseMonitorArgs, USAGE, UsageError, type MonitorOptions } from "./args.js";
import { formatJson, formatSummary, formatText } from "./format.js";
import { decodeMessage } from "./message-decode.js";
import { SequenceTracker } from "./sequence-tracker.js";

/** Longest wait between reconnect attempts, ms. */
const MAX_RETRY_MS = 10_000;

/** A CA file as PEM text (hosts/node/ca-file.ts); a problem is a usage mistake. */
function readCa(file: string): string {
  try {
    return readCaFile(file).pem;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Runs the monitor: `fieldnode-monitor --help` tells how. */
function main(argv: string[]): void {
  let options: MonitorOptions;
  let ca: string | undefined;
  try {
    options = parseMonitorArgs(argv, process.env);
    if (options.caFile !== undefined) ca = readCa(options.caFile);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`fieldnode-monitor: ${error.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }

  const tracker = new SequenceTracker();
  const transport = createMqttTransport();
  const clientId = `fnmon-${randomBytes(6).toString("hex")}`;
  const filter = `${options.prefix}/${options.node ?? "+"}/#`;
  let messages = 0, warnings = 0, attempt = 0;
  let connection: MqttConnection | undefined;
  let stopping = false;
  const status = (line: string) => process.stderr.write(`fieldnode-monitor: ${line}\n`);

  const onMessage = (topic: string, payload: Uint8Array) => {
    const message = decodeMessage(topic, payload, options.prefix);
    if (options.node !== undefined && message.node !== undefined && message.node !== options.node) return;
    messages++;
    if (message.kind === "warning") warnings++;
    const findings = message.kind === "tele"
      ? tracker.observe(message.node, message.pack.boot, message.pack.seq, message.pack.historical)
      : [];
    process.stdout.write(`${options.json ? formatJson(message, findings) : formatText(message, findings)}\n`);
  };

  const connect = () => {
    attempt++;
    connection = transport.connect(
      {
        url: options.broker, clientId, keepalive: 30, cleanSession: true,
        ...(options.username === undefined ? {} : { username: options.username }),
        ...(options.password === undefined ? {} : { password: options.password }),
        ...(ca === undefined ? {} : { tls: { ca } }),
      },
      {
        onConnect: () => {
          attempt = 0;
          status(`connected to ${options.broker}, subscribed to ${filter}`);
          connection?.subscribe([filter], 1);
        },
        onMessage,
        // Over the transport's 256 KiB: skipped unread, the link stays (it used to drop and loop on a retained one).
        onOversize: (topic: string, bytes: number) => {
          warnings++;
          status(`skipped a message of ${bytes} bytes on ${JSON.stringify(topic)}: too large to decode`);
        },
        onPuback: () => undefined,
        onClose: (failure: MqttFailure) => {
          connection = undefined;
          if (stopping) return;
          status(`${failure.stage}: ${failure.message}`);
          if (failure.stage === "connack" && (failure.returnCode === 4 || failure.returnCode === 5)) {
            finish(1);
            return;
          }
          const delay = Math.min(MAX_RETRY_MS, 500 * 2 ** Math.min(attempt, 5));
          setTimeout(connect, delay);
        },
      },
    );
  };

  const finish = (code: number) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${formatSummary({ ...tracker.summary(), messages, warnings }, options.json)}\n`);
    connection?.disconnect();
    // A clean DISCONNECT needs a moment on the wire; stdout to a pipe or file is synchronous.
    setTimeout(() => process.exit(code), 200);
  };
  // Piped into `head` or a closed pager: stop quietly rather than die on EPIPE.
  process.stdout.on("error", () => process.exit(0));
  process.on("SIGINT", () => finish(0));
  process.on("SIGTERM", () => finish(0));
  connect();
}

try {
  main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`fieldnode-monitor: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
}
