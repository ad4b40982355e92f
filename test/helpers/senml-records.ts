/**
 * Telemetry records as any RFC 8428 reader sees them (section 4.6: bn, bt,
 * bu and bv carry on to later records until redefined; name = bn + n,
 * time = bt + t, unit = u or bu, value = bv + v), read with cbor-x alone and
 * named relative to record 0's base name (the node's `<nodeId>:`), so tests
 * check the wire without the firmware's own decoder.
 */
import { Decoder } from "cbor-x";

/** One resolved record: local name (`temp`, `_seq`, `_q.temp`), absolute time (s), unit, value. */
export interface ResolvedRecord {
  n: string;
  at: number;
  u?: string;
  v?: number;
  vs?: string;
  vb?: boolean;
}

const decoder = new Decoder({ mapsAsObjects: false, useRecords: false } as ConstructorParameters<typeof Decoder>[0]);

/** The records of one SenML-CBOR telemetry pack, resolved (throws on bytes that are not a pack). */
export function resolvedRecords(bytes: Uint8Array): ResolvedRecord[] {
  const pack = decoder.decode(bytes) as Map<number, unknown>[];
  const prefix = (pack[0]?.get(-2) as string | undefined) ?? "";
  let bn = "";
  let bt = 0;
  let bu: string | undefined;
  let bv = 0;
  return pack.map((r) => {
    if (r.has(-2)) bn = r.get(-2) as string;
    if (r.has(-3)) bt = r.get(-3) as number;
    if (r.has(-4)) bu = r.get(-4) as string;
    if (r.has(-5)) bv = r.get(-5) as number;
    const name = bn + ((r.get(0) as string | undefined) ?? "");
    const out: ResolvedRecord = { n: name.startsWith(prefix) ? name.slice(prefix.length) : name, at: bt + ((r.get(6) as number | undefined) ?? 0) };
    const u = (r.get(1) as string | undefined) ?? bu;
    if (u !== undefined) out.u = u;
    if (r.has(2)) out.v = bv + (r.get(2) as number);
    if (r.has(3)) out.vs = r.get(3) as string;
    if (r.has(4)) out.vb = r.get(4) as boolean;
    return out;
  });
}
