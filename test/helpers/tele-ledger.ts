import { decodeTelemetryPack, type DecodedPack } from "../../modules/telemetry/telemetry-pack.js";
import type { Received } from "./mqtt-subscriber.js";

/** What a receiver can tell about one boot's telemetry from payloads alone. */
export interface BootLedger {
  bootId: string;
  /** Copies received per seq, in arrival order. */
  copies: Map<number, DecodedPack[]>;
  /** The payload bytes of each copy, same order. */
  bytes: Map<number, Uint8Array[]>;
  max: number;
  /** Seqs in 1..max never received: losses. */
  missing: number[];
  /** Seqs received more than once. */
  duplicates: number[];
}

/** Groups the `.../tele` messages of `nodeId` by boot id (in order of first appearance). */
export function ledger(messages: readonly Received[], nodeId: string): BootLedger[] {
  const boots = new Map<string, BootLedger>();
  for (const m of messages) {
    if (!m.topic.endsWith(`/${nodeId}/tele`)) continue;
    const pack = decodeTelemetryPack(m.payload);
    if (typeof pack === "string") throw new Error(`undecodable telemetry on ${m.topic}: ${pack}`);
    let boot = boots.get(pack.bootId);
    if (!boot) boots.set(pack.bootId, (boot = { bootId: pack.bootId, copies: new Map(), bytes: new Map(), max: 0, missing: [], duplicates: [] }));
    const list = boot.copies.get(pack.seq) ?? [];
    list.push(pack);
    boot.copies.set(pack.seq, list);
    boot.bytes.set(pack.seq, [...(boot.bytes.get(pack.seq) ?? []), m.payload]);
    boot.max = Math.max(boot.max, pack.seq);
  }
  for (const boot of boots.values()) {
    for (let seq = 1; seq <= boot.max; seq++) if (!boot.copies.has(seq)) boot.missing.push(seq);
    for (const [seq, list] of boot.copies) if (list.length > 1) boot.duplicates.push(seq);
  }
  return [...boots.values()];
}

/**
 * Duplicates nobody can explain. A later copy is explained when it carries
 * `_hist` (the node re-sent it after a lost link) or is byte-identical to an
 * earlier copy (the broker's own QoS 1 redelivery, e.g. after a restart
 * before the subscriber's PUBACK was recorded).
 */
export function unexplainedDuplicates(boot: BootLedger): number[] {
  return boot.duplicates.filter((seq) => {
    const copies = boot.copies.get(seq)!;
    const bytes = boot.bytes.get(seq)!;
    return copies.some((p, i) => i > 0 && !p.historical && !bytes.slice(0, i).some((b) => sameBytes(b, bytes[i])));
  });
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((x, i) => x === b[i]);
}

/** Highest seq such that 1..seq all arrived. */
export function contiguousUpTo(boot: BootLedger): number {
  let seq = 0;
  while (boot.copies.has(seq + 1)) seq++;
  return seq;
}

/** Seqs of one boot in arrival order, first copies only. */
export function ledgerOrder(messages: readonly Received[], nodeId: string, bootId: string): number[] {
  const seen = new Set<number>();
  const order: number[] = [];
  for (const m of messages) {
    if (!m.topic.endsWith(`/${nodeId}/tele`)) continue;
    const pack = decodeTelemetryPack(m.payload);
    if (typeof pack === "string" || pack.bootId !== bootId || seen.has(pack.seq)) continue;
    seen.add(pack.seq);
    order.push(pack.seq);
  }
  return order;
}
