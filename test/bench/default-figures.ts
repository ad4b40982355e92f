/**
 * The README's figures for `npm run bench`: the firmware (`startNode`) at the
 * factory-default config, booted on the in-memory test platform in virtual
 * time, with the simulated board: the telemetry pack's size and period, and
 * how long a broker outage the outbox bridges without losing a pack, for the
 * simulator's flash (no capacity hint: the outbox default) and the ESP32's
 * (its NVS capacity hint).
 *
 * The outbox capacity is measured from the outside, so it stays true
 * whatever the outbox does inside: the broker goes away for T, comes back,
 * every pack is acknowledged, and T is lossless when every pack made during
 * the outage arrived. T is doubled from 15 min until a loss, then bisected
 * to the minute. One more outage of `maxOutageH` shows how far back the
 * history then reaches (with thinning: coarser, but to the outage's start).
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
  /** The host's clock has sub-millisecond fractions (the simulator's performance.now()); the ESP32's Time.ticks counts whole ms. */
  fractionalClock?: boolean;
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
  /** Longest outage, in minutes, after which every pack made during it arrived (to the minute). */
  losslessMinutes: number;
  /** False when even `maxOutageH` lost nothing: losslessMinutes is a lower bound. */
  bounded: boolean;
  /** After an outage of `maxOutageH`: packs made, packs arrived, and minutes back to the oldest that arrived. */
  long: { hours: number; made: number; arrived: number; reachMinutes: number };
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

/** Boots the firmware at the default config on `target`'s storage, with its host's kind of clock (also the flash table's node, flash-wear.ts). */
export function boot(target: FigureTarget): TestPlatform {
  const test = createTestPlatform({ seed: 7, hardwareId: target.hardwareId, wallTime: EPOCH, name: "bench" });
  if (target.capacityBytes !== undefined) (test.storage as { capacityBytes?: number }).capacityBytes = target.capacityBytes;
  if (!target.fractionalClock) {
    startNode(test.platform);
    return test;
  }
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

/** One outage of `minutes`: packs made while the broker was away, those that arrived once it was back, and the oldest one's age at the return. */
async function outage(target: FigureTarget, minutes: number): Promise<{ made: number; arrived: number; reachMinutes: number }> {
  const test = boot(target);
  const before: Pack[] = [];
  await run(test, 60_000, true, before);
  const lastBefore = Math.max(0, ...before.map((p) => p.seq));
  const awayFrom = EPOCH / 1000 + test.clock.monotonic() / 1000;
  test.mqtt.fail({ stage: "tcp", message: "connection reset" });
  await run(test, minutes * 60_000, false, []);
  const awayTo = EPOCH / 1000 + test.clock.monotonic() / 1000;
  const after: Pack[] = [];
  // Back: replay until no pack of the outage has come for 2 minutes.
  for (let quiet = 0; quiet < 120_000; ) {
    const old = after.length;
    await run(test, 10_000, true, after);
    quiet = after.slice(old).some((p) => p.bt < awayTo) ? 0 : quiet + 10_000;
  }
  const outagePacks = new Map<number, Pack>();
  for (const p of after) if (p.bt >= awayFrom && p.bt < awayTo && p.seq > lastBefore) outagePacks.set(p.seq, p);
  // The first pack made after the return carries the next seq: every seq below it was made during the outage.
  const firstAfter = Math.min(...after.filter((p) => p.bt >= awayTo).map((p) => p.seq));
  const made = Number.isFinite(firstAfter) ? firstAfter - 1 - lastBefore : Math.max(0, ...outagePacks.keys()) - lastBefore;
  const oldest = Math.min(...[...outagePacks.values()].map((p) => p.bt));
  return { made, arrived: outagePacks.size, reachMinutes: outagePacks.size > 0 ? +((awayTo - oldest) / 60).toFixed(1) : 0 };
}

/** The outbox's capacity in time at the default config (see the file's comment); outages of at most `maxOutageH`. */
export async function outboxFigures(target: FigureTarget, maxOutageH = 12): Promise<OutboxFigures> {
  const lossless = async (minutes: number) => {
    const o = await outage(target, minutes);
    return o.arrived >= o.made;
  };
  let good = 0;
  let bad: number | undefined;
  for (let minutes = 15; minutes <= maxOutageH * 60; minutes *= 2) {
    if (await lossless(minutes)) good = minutes;
    else {
      bad = minutes;
      break;
    }
  }
  if (bad === undefined && good < maxOutageH * 60 && !(await lossless(maxOutageH * 60))) bad = maxOutageH * 60;
  else if (bad === undefined) good = maxOutageH * 60;
  while (bad !== undefined && bad - good > 1) {
    const mid = Math.floor((good + bad) / 2);
    if (await lossless(mid)) good = mid;
    else bad = mid;
  }
  const long = await outage(target, maxOutageH * 60);
  return { losslessMinutes: good, bounded: bad !== undefined, long: { hours: maxOutageH, ...long } };
}
