/**
 * Outbox replay after an outage, in virtual time: the firmware (default
 * config, the ESP32's storage hint) runs a minute connected, the broker goes
 * away for `outageMin`, then comes back and acknowledges every PUBLISH
 * within `ackMs` (a broker 100 ms away). Measured: how long after the
 * return the last pack made during the outage arrived, and the rate of the
 * replay, beside the rate at which the node makes packs (the baseline: how
 * much faster the backlog drains than it filled). The forwarder paces the
 * replay (FORWARDER_DEFAULTS: 5 packs/s after a burst of 10, at most 8 in
 * flight, a random start delay up to 3 s) so a fleet coming back together
 * does not flood the broker.
 */
import { Decoder } from "cbor-x";
import { FORWARDER_DEFAULTS } from "../../modules/telemetry/forwarder.js";
import { boot } from "./default-figures.js";

const decoder = new Decoder({ mapsAsObjects: false, useRecords: false });
const EPOCH = Date.UTC(2026, 0, 1);

export interface ReplayFigures {
  outageMin: number;
  /** Packs made during the outage that arrived after the return (all of them when the outbox held the outage). */
  replayed: number;
  /** Seconds from the broker's return to the last of them. */
  seconds: number;
  /** Packs per second made while connected before the outage. */
  liveRate: number;
}

/** See the file's comment. */
export async function replayFigures(outageMin = 60, ackMs = 100): Promise<ReplayFigures> {
  const test = boot({ label: "ESP32", hardwareId: "a4d18cdbc020", capacityBytes: 516_000 });
  let away = false;
  let liveSeen = 0;
  const arrivals: { bt: number; at: number }[] = [];
  const step = async (ms: number) => {
    await test.timers.advanceSettled(ms);
    const latest = test.mqtt.connections[test.mqtt.connections.length - 1] as (typeof test.mqtt.connections)[number] & { accepted?: boolean };
    if (latest && !latest.closed) {
      if (away) test.mqtt.fail({ stage: "tcp", message: "connection refused" });
      else if (!latest.accepted) {
        latest.accepted = true;
        test.mqtt.accept(false);
      }
    }
    for (const p of test.mqtt.publishes) {
      if (p.topic.endsWith("/tele")) {
        const head = (decoder.decode(p.payload) as Map<number, unknown>[])[0];
        arrivals.push({ bt: Number(head.get(-3)), at: test.clock.monotonic() });
        if (!away) liveSeen++;
      }
      if (!away && p.qos === 1 && !test.mqtt.connections[p.connection].closed) test.mqtt.ack(p.packetId);
    }
    test.mqtt.publishes.length = 0;
    test.logs.length = 0;
  };
  const run = async (ms: number, stepMs: number) => {
    for (let done = 0; done < ms; done += stepMs) await step(stepMs);
  };
  const connectedMs = 10 * 60_000;
  await run(connectedMs, 1000);
  const liveRate = liveSeen / (connectedMs / 1000);
  away = true;
  test.mqtt.fail({ stage: "tcp", message: "connection reset" });
  const awayFrom = EPOCH / 1000 + test.clock.monotonic() / 1000;
  await run(outageMin * 60_000, 1000);
  const awayTo = EPOCH / 1000 + test.clock.monotonic() / 1000;
  const back = test.clock.monotonic();
  away = false;
  arrivals.length = 0;
  // Until no outage pack has come for a minute.
  let last = back;
  while (test.clock.monotonic() - last < 60_000) {
    const before = arrivals.length;
    await run(1000, ackMs);
    for (const a of arrivals.slice(before)) if (a.bt >= awayFrom && a.bt < awayTo) last = a.at;
  }
  const replayed = arrivals.filter((a) => a.bt >= awayFrom && a.bt < awayTo).length;
  return { outageMin, replayed, seconds: (last - back) / 1000, liveRate };
}

/** The forwarder's pacing, for the table's wording. */
export const PACING = `${FORWARDER_DEFAULTS.ratePerSec} packs/s after a burst of ${FORWARDER_DEFAULTS.burst}, ≤ ${FORWARDER_DEFAULTS.maxInFlight} in flight`;
