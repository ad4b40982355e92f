import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test, { type ExecutionContext } from "ava";
import { mosquittoBinary, startMosquitto, type Mosquitto } from "./mosquitto.js";

/**
 * Simulator flags for a node that publishes about 10 packs a second (two
 * channels every 100 ms, 2 readings per pack), flushes its outbox to flash
 * after 300 ms (in flight or not: the fault tests kill it while offline), retries the broker quickly and replays at up to 100 packs/s.
 */
export function fastNodeArgs(brokerUrl: string, id: string, stateDir: string, extra: string[] = []): string[] {
  return [
    "--broker", brokerUrl, "--id", id, "--state", stateDir,
    "--override", "ch.temp.interval=100", "--override", "ch.rh.interval=100", "--override", "telemetry.batch_size=2",
    "--uplink", "rate=100,burst=20,in-flight=16,flush-ms=300,offline-flush-ms=300,index-ms=500,backoff-base-ms=200,backoff-cap-ms=1000,start-jitter-ms=200",
    ...extra,
  ];
}

/** A fresh temp dir for a node's flash. */
export function stateDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), "fieldnode-state-"));
}

/**
 * Mosquitto that keeps sessions and queued QoS 1 messages across a graceful
 * restart (persistence on, saved at exit), so a test subscriber misses
 * nothing while the broker is down: what it lacks, the node lost.
 */
export async function persistentMosquitto(extra = ""): Promise<Mosquitto | undefined> {
  const dir = await mkdtemp(join(tmpdir(), "fieldnode-mosq-db-"));
  return startMosquitto({
    extraConfig: `persistence true\npersistence_location ${dir}/\nautosave_interval 0\nmax_queued_messages 0\nmax_inflight_messages 0\n${extra}`,
  });
}

const SKIP = "SKIPPED: mosquitto not installed; install mosquitto to run broker fault tests";

/** A serial ava test that needs Mosquitto; skipped loudly (title and stderr) when it is missing. */
export function serialBrokerTest(title: string, fn: (t: ExecutionContext) => Promise<void>): void {
  if (mosquittoBinary === undefined) {
    process.stderr.write(`\n!!!!!!!! ${SKIP} !!!!!!!!\n\n`);
    test.skip(`${title} (${SKIP})`, () => undefined);
  } else test.serial(title, fn);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
