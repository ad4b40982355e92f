/**
 * One outbox life, run the same on XS and on Node (XS-safe: no Node
 * built-ins): the previous firmware leaves a v1 outbox; the journal outbox
 * reads it, journals an outage 6 times its capacity (thinning), loses power
 * (the flash is copied mid-write-sequence), reboots on the copy and replays.
 */
import { Counters } from "../../../modules/counters.js";
import { Logger } from "../../../modules/log.js";
import { Outbox } from "../../../modules/telemetry/outbox.js";
import { OutboxV1 } from "../../helpers/outbox-v1.js";
import { MemoryStorage } from "../../helpers/memory-storage.js";
import { createTestPlatform } from "../platform.js";

/** What the scenario observed; compared between the engines. */
export interface OutboxScenarioResult {
  restoredFromV1: number;
  thinned: number;
  dropped: number;
  level: number;
  /** Packs a reboot on the flash copy replays, oldest first (their 4-byte index). */
  replay: number[];
  /** Packs queued offline before the power loss but missing after it. */
  lostAtPowerLoss: number[];
  writes: number;
}

function message(i: number, size: number): Uint8Array {
  const bytes = new Uint8Array(size).fill(i & 0xff);
  new DataView(bytes.buffer).setUint32(0, i);
  return bytes;
}

export function outboxScenario(): OutboxScenarioResult {
  const test = createTestPlatform({ seed: 9 });
  const log = new Logger(test.platform);
  const storage = test.storage;
  let now = 0;
  const old = new OutboxV1(storage, () => now, new Counters(), log, {});
  let i = 0;
  for (; i < 40; i++) { now += 10_000; old.push(message(i, 270), true); old.tick(); }
  old.persist();
  const counters = new Counters();
  const outbox = new Outbox(storage, () => now, counters, log, { maxSegments: 4 });
  const restoredFromV1 = outbox.depth;
  let copy: MemoryStorage | undefined;
  let queuedBeforeCopy = 0;
  for (; i < 40 + 6 * 48; i++) {
    now += 5000;
    outbox.push(message(i, 306), true);
    outbox.tick();
    if (i === 200) {
      // Power loss: what the flash holds right now is all the next boot gets.
      copy = new MemoryStorage();
      for (const key of storage.keys()) copy.write(key, storage.read(key)!);
      queuedBeforeCopy = i + 1;
    }
  }
  const replay: number[] = [];
  const rebooted = new Outbox(copy!, () => now, new Counters(), log, { maxSegments: 4 });
  for (let e = rebooted.next(); e; e = rebooted.next()) {
    rebooted.sent(e, replay.length + 1);
    replay.push(new DataView(e.bytes.buffer, e.bytes.byteOffset).getUint32(0));
  }
  // Without thinning everything queued would be there; with it, the gaps must be the thinned ones: none newer than the last kept.
  const last = replay[replay.length - 1];
  const lostAtPowerLoss = last === queuedBeforeCopy - 1 ? [] : [queuedBeforeCopy - 1];
  return { restoredFromV1, thinned: counters.get("outbox_thinned"), dropped: counters.get("outbox_dropped"), level: outbox.level, replay, lostAtPowerLoss, writes: storage.writes };
}
