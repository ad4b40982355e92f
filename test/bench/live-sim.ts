/**
 * The live cross-check of `npm run bench`'s README figures: the real
 * simulator (fieldnode-sim with its embedded broker, default config, a fresh
 * flash) for about half a minute, its telemetry read by a plain MQTT
 * subscriber: pack sizes and period as a user of the simulator sees them.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Decoder } from "cbor-x";
import { startSubscriber } from "../helpers/mqtt-subscriber.js";
import { startSim } from "../helpers/sim-process.js";

export interface LiveFigures {
  packs: number;
  minBytes: number;
  maxBytes: number;
  /** Median seconds between two packs' base times. */
  periodS: number;
}

/** Runs the simulator until `packs` telemetry packs arrived (at most `timeoutMs`); undefined when it could not. */
export async function liveSimFigures(packs = 7, timeoutMs = 90_000): Promise<LiveFigures | undefined> {
  const dir = mkdtempSync(join(tmpdir(), "fieldnode-bench-"));
  const sim = startSim(["--state", dir]);
  let subscriber: ReturnType<typeof startSubscriber> | undefined;
  try {
    const [, port] = await sim.waitFor(/embedded broker listening on mqtt:\/\/127\.0\.0\.1:(\d+)/, 20_000);
    subscriber = startSubscriber(Number(port), ["fieldnode/+/tele"], `bench-${process.pid}`);
    await subscriber.waitFor((messages) => messages.length >= packs, timeoutMs, `${packs} telemetry packs`);
    const decoder = new Decoder({ mapsAsObjects: false, useRecords: false });
    const received = subscriber.messages.slice(0, packs).map((m) => ({ bytes: m.payload.byteLength, bt: Number((decoder.decode(m.payload) as Map<number, unknown>[])[0].get(-3)) }));
    const gaps = received.slice(1).map((p, i) => p.bt - received[i].bt).sort((a, b) => a - b);
    return {
      packs: received.length,
      minBytes: Math.min(...received.map((p) => p.bytes)),
      maxBytes: Math.max(...received.map((p) => p.bytes)),
      periodS: +gaps[Math.floor(gaps.length / 2)].toFixed(2),
    };
  } catch {
    return undefined;
  } finally {
    subscriber?.close();
    sim.child.kill("SIGINT");
    await sim.exited;
    rmSync(dir, { recursive: true, force: true });
  }
}
