/**
 * The README's figures for `npm run bench`: the firmware (`startNode`) at the
 * factory-default config, booted on the in-memory test platform in virtual
 * time, with the simulator's simulated board: the telemetry pack's size and
 * period, and how long a broker outage the outbox bridges without losing a
 * pack, for the simulator's flash (no capacity hint: the outbox default) and
 * for the ESP32's (its NVS capacity hint).
 *
 * The outbox capacity is measured from the outside, so it stays true
 * whatever the outbox does inside: the broker goes away for `maxOutageH`,
 * comes back, every pack is acknowledged, and the packs made during the
 * outage that arrived are counted: the newest unbroken run of them is what
 * the outbox kept whole (its span is the figure), the oldest one that
 * arrived at all is how far back the history reaches (with thinning, older
 * than the unbroken run).
 */
import { Decoder } from "cbor-x";
import { startNode } from "../../modules/node.js";
import type { Platform } from "../../modules/platform.js";
import { createTestPlatform, type TestPlatform } from "../xs/platform.js";

const STEP_MS = 1000;
/** Wall clock of the virtual run (synchronised, as the simulator's). */
const EPOCH = Date.UTC(2026, 0, 1);
const decoder = new Decoder({ mapsAsObjects: false, useRecords: false });

/** One target's storage: a name and the capacity hint its storage gives (undefined: none, as the simulator's files). */
export interface FigureTarget {
  label: string;
  hardwareId: string;
  capacityBytes?: number;
}

export interface PackFigures {
  /** Payload bytes, smallest and largest pack. */
  minBytes: number;
  maxBytes: number;
  /** Median seconds between two packs. */
  periodS: number;
  readingsPerPack: number;
}

export interface OutboxFigures {
  /** Minutes into the outage when the console's `status` first showed a pack dropped or thinned (undefined: never). */
  firstLossMinutes: number | undefined;
  /** Minutes of the outage's newest packs that all arrived. */
  wholeMinutes: number;
  /** Packs in that unbroken run. */
  wholePacks: number;
  /** Minutes back to the oldest outage pack that arrived at all. */
  reachMinutes: number;
  /** Packs made during the outage, and how many arrived. */
  made: number;
  arrived: number;
  /** False when nothing was lost in `maxOutageH`: the figure is a lower bound. */
  bounded: boolean;
}

interface Pack {
  seq: number;
  bt: number;
  bytes: number;
  readings: number;
}

function decodePack(payload: Uint8Array): Pack {
  const records = decoder.decode(payload) as Map<number, unknown>[];
  const head = records[0];
  return {
    seq: Number(head.get(2)),
    bt: Number(head.get(-3)),
    bytes: payload.byteLength,
    readings: records.filter((r) => !String(r.get(0) ?? "").startsWith("_")).length,
  };
}

/** Runs `ms` of virtual time; `broker` says whether each new connection is accepted and packs acknowledged. */
async function run(test: TestPlatform, ms: number, broker: boolean, packs: Pack[]): Promise<number> {
  let seen = 0;
  for (let done = 0; done < ms; done += STEP_MS) {
    await test.timers.advanceSettled(STEP_MS);
    const latest = test.mqtt.connections[test.mqtt.connections.length - 1];
    if (latest && !latest.closed) {
      if (!broker) test.mqtt.fail({ stage: "tcp", message: "connection refused" });
      else if (!(latest as { accepted?: boolean }).accepted) {
        (latest as { accepted?: boolean }).accepted = true;
        test.mqtt.accept(false);
      }
    }
    for (const publish of test.mqtt.publishes) {
      if (publish.topic.endsWith("/tele")) {
        packs.push(decodePack(publish.payload));
        seen++;
      }
      if (broker && publish.qos === 1 && !test.mqtt.connections[publish.connection].closed) test.mqtt.ack(publish.packetId);
    }
    test.mqtt.publishes.length = 0;
    test.logs.length = 0;
  }
  return seen;
}

/**
 * A host clock's sub-millisecond fraction at virtual time `ms`: the
 * simulator's clock is performance.now(), so the times in its packs are not
 * whole milliseconds (and CBOR encodes them as float64, not float32). A
 * seeded fraction per virtual millisecond: monotonic, and the same on every run.
 */
function fraction(ms: number): number {
  let x = Math.imul(Math.floor(ms) ^ 0x5bd1e995, 0x27d4eb2d);
  x ^= x >>> 15;
  return ((x >>> 0) % 997) / 1000;
}

/** Boots the firmware at the default config on `target`'s storage, with a host-like clock (also the flash table's node, flash-wear.ts). */
export function boot(target: FigureTarget): TestPlatform {
  const test = createTestPlatform({ seed: 7, hardwareId: target.hardwareId, wallTime: EPOCH, name: "bench" });
  if (target.capacityBytes !== undefined) (test.storage as { capacityBytes?: number }).capacityBytes = target.capacityBytes;
  const virtual = test.clock;
  // Each reading of the clock moves it on a little, as a real one does between two channels' samples.
  let instant = -1;
  let calls = 0;
  const monotonic = () => {
    const now = virtual.monotonic();
    calls = now === instant ? calls + 1 : 0;
    instant = now;
    return now + fraction(now) * 0.5 + Math.min(calls, 1000) * 0.0002;
  };
  const wall = virtual.wallTime();
  (test.platform as { clock: Platform["clock"] }).clock = { monotonic, wallTime: () => (wall === undefined ? undefined : EPOCH + monotonic()) };
  startNode(test.platform);
  return test;
}

/** Pack size and period at the default config, over `minutes` connected. */
export async function packFigures(target: FigureTarget, minutes = 30): Promise<PackFigures> {
  const test = boot(target);
  const packs: Pack[] = [];
  await run(test, minutes * 60_000, true, packs);
  const steady = packs.slice(1);
  const gaps = steady.slice(1).map((p, i) => p.bt - steady[i].bt).sort((a, b) => a - b);
  return {
    minBytes: Math.min(...steady.map((p) => p.bytes)),
    maxBytes: Math.max(...steady.map((p) => p.bytes)),
    periodS: +gaps[Math.floor(gaps.length / 2)].toFixed(2),
    readingsPerPack: steady[0]?.readings ?? 0,
  };
}

/** The outbox's reach in time at the default config (see the file's comment); the outage lasts at most `maxOutageH`. */
export async function outboxFigures(target: FigureTarget, maxOutageH = 12): Promise<OutboxFigures> {
  const test = boot(target);
  const before: Pack[] = [];
  await run(test, 60_000, true, before);
  const lastBefore = Math.max(0, ...before.map((p) => p.seq));
  const awayFrom = EPOCH / 1000 + test.clock.monotonic() / 1000;
  test.mqtt.fail({ stage: "tcp", message: "connection reset" });
  // Minute by minute, as a technician would: the console's status says when the outbox first lost (or thinned) a pack.
  let firstLossMinutes: number | undefined;
  for (let minute = 1; minute <= maxOutageH * 60; minute++) {
    await run(test, 60_000, false, []);
    if (firstLossMinutes !== undefined) continue;
    test.console.take();
    test.console.inject("status\r\n");
    await test.timers.advanceSettled(0);
    const line = test.console.take().split("\r\n").find((l) => /^\s*outbox\b/.test(l)) ?? "";
    const lost = [...line.matchAll(/(?:dropped|thinned) (\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    if (lost > 0) firstLossMinutes = minute;
  }
  const awayTo = EPOCH / 1000 + test.clock.monotonic() / 1000;
  const after: Pack[] = [];
  // Back: replay until nothing more comes for 2 minutes.
  for (let quiet = 0; quiet < 120_000; ) {
    const old = after.length;
    await run(test, 10_000, true, after);
    quiet = after.slice(old).some((p) => p.bt < awayTo) ? 0 : quiet + 10_000;
  }
  const outage = new Map<number, Pack>();
  for (const p of after) if (p.bt >= awayFrom && p.bt < awayTo && p.seq > lastBefore) outage.set(p.seq, p);
  const made = Math.max(0, ...after.filter((p) => p.bt < awayTo).map((p) => p.seq)) - lastBefore;
  const newest = lastBefore + made;
  let oldestWhole = newest;
  while (outage.has(oldestWhole - 1)) oldestWhole--;
  const oldest = Math.min(...outage.keys());
  const minutes = (from: number) => +((awayTo - (outage.get(from)?.bt ?? awayTo)) / 60).toFixed(1);
  return {
    firstLossMinutes,
    wholeMinutes: minutes(oldestWhole),
    wholePacks: newest - oldestWhole + 1,
    reachMinutes: minutes(oldest),
    made,
    arrived: outage.size,
    bounded: outage.size < made,
  };
}
