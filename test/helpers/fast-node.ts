import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test, { type ExecutionContext } from "ava";
import { mosquittoBinary, startMosquitto, type Mosquitto } from "./mosquitto.js";
import type { Subscriber } from "./mqtt-subscriber.js";
import { startSim, type SimProcess } from "./sim-process.js";
import { contiguousUpTo, ledger, type BootLedger } from "./tele-ledger.js";

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

/**
 * Stops `sim` gracefully (its unsent tail goes to flash), boots the node
 * again on the same flash, and waits until `sub` holds every pack of the
 * first boot up to the last seq that boot logged. Returns that seq and the
 * first boot's ledger; the second boot is stopped before returning.
 */
export async function rebootAndAwaitFirstBoot(sim: SimProcess, sub: Subscriber, brokerUrl: string, id: string, dir: string): Promise<{ last: number; boot1: BootLedger }> {
  sim.child.kill("SIGTERM");
  await sim.exited;
  const last = Number(/stopped \(last seq (\d+)/.exec(sim.output)?.[1]);
  const again = startSim(fastNodeArgs(brokerUrl, id, dir));
  try {
    await sub.waitFor(() => {
      const boot1 = ledger(sub.messages, id)[0];
      return boot1 !== undefined && contiguousUpTo(boot1) >= last;
    }, 30_000, `every pack of boot 1 up to seq ${last}`);
  } finally {
    again.child.kill("SIGTERM");
    await again.exited;
  }
  return { last, boot1: ledger(sub.messages, id)[0] };
}
