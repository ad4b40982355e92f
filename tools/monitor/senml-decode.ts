import { Decoder } from "cbor-x";

/**
 * SenML labels of the CBOR representation (RFC 8428 section 6, table 4),
 * integer label → field name. Frozen: a mistyped label cannot slip in.
 */
export const SENML_LABELS: ReadonlyMap<number, string> = new Map([
  [-1, "bver"], [-2, "bn"], [-3, "bt"], [-4, "bu"], [-5, "bv"], [-6, "bs"],
  [0, "n"], [1, "u"], [2, "v"], [3, "vs"], [4, "vb"], [5, "s"], [6, "t"], [7, "ut"], [8, "vd"],
] as const);

/** One record after resolution (RFC 8428 section 4.6): absolute name, time, unit and value. */
export interface ResolvedRecord {
  /** Base name + name, e.g. "pump-7:temp". */
  name: string;
  /** The record's own name (without the base name), e.g. "temp" or "_seq". */
  local: string;
  /** Base time + time, seconds (epoch seconds, or uptime seconds for `_clock` uptime packs). */
  time: number;
  unit?: string;
  /** Base value + value, when the record has `v` (or only a base value). */
  value?: number;
  stringValue?: string;
  boolValue?: boolean;
  /** Data value, as lower-case hex. */
  dataValue?: string;
  /** Base sum + sum. */
  sum?: number;
  /** fieldnode quality from a `_q.<channel>` record: "uncertain:<reason>" or "bad:<reason>" (absent: good). */
  quality?: string;
}

const decoder = new Decoder({ mapsAsObjects: false, useRecords: false } as ConstructorParameters<typeof Decoder>[0]);

/**
 * Decodes CBOR bytes into one value; a string says why it could not
 * (not CBOR, trailing bytes, too deep). Never throws.
 */
export function decodeCbor(bytes: Uint8Array): { value: unknown } | string {
  try {
    return { value: decoder.decode(bytes) };
  } catch (error) {
    return `not CBOR: ${error instanceof Error ? error.message : String(error)}`;
  }
}

const isNumber = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);

/**
 * Resolves an already-decoded SenML pack (an array of integer-labelled
 * maps) per RFC 8428 section 4.6: base fields apply to the record that
 * carries them and every later one until redefined; name = bn + n,
 * time = bt + t, unit = u or bu, value = bv + v, sum = bs + s. Unknown
 * labels are ignored (section 4.4). Returns a string saying what is wrong
 * with a value that is not a pack (wrong type of a field included). Never throws.
 */
export function resolveSenml(pack: unknown): ResolvedRecord[] | string {
  if (!Array.isArray(pack)) return "a SenML pack is a CBOR array";
  if (pack.length === 0) return "empty SenML pack";
  let bn = "", bt = 0, bu: string | undefined, bv = 0, bs = 0;
  const out: ResolvedRecord[] = [];
  for (const [index, item] of pack.entries()) {
    if (!(item instanceof Map)) return `record ${index} is not a CBOR map`;
    const f: Record<string, unknown> = {};
    for (const [label, value] of item) {
      const name = typeof label === "number" ? SENML_LABELS.get(label) : undefined;
      if (name !== undefined) f[name] = value;
    }
    const bad = checkTypes(f);
    if (bad !== undefined) return `record ${index}: ${bad}`;
    if (f.bver !== undefined && (f.bver as number) > 10) return `record ${index}: unsupported SenML version ${String(f.bver)}`;
    if (f.bn !== undefined) bn = f.bn as string;
    if (f.bt !== undefined) bt = f.bt as number;
    if (f.bu !== undefined) bu = f.bu as string;
    if (f.bv !== undefined) bv = f.bv as number;
    if (f.bs !== undefined) bs = f.bs as number;
    const local = (f.n as string | undefined) ?? "";
    const name = bn + local;
    if (name === "") return `record ${index} has no name (neither bn nor n)`;
    const record: ResolvedRecord = { name, local, time: bt + ((f.t as number | undefined) ?? 0) };
    const unit = (f.u as string | undefined) ?? bu;
    if (unit !== undefined) record.unit = unit;
    if (f.v !== undefined) record.value = bv + (f.v as number);
    else if (f.bv !== undefined && f.vs === undefined && f.vb === undefined && f.vd === undefined) record.value = bv;
    if (f.vs !== undefined) record.stringValue = f.vs as string;
    if (f.vb !== undefined) record.boolValue = f.vb as boolean;
    if (f.vd !== undefined) record.dataValue = Buffer.from(f.vd as Uint8Array).toString("hex");
    if (f.s !== undefined) record.sum = bs + (f.s as number);
    out.push(record);
  }
  return out;
}

/** The wrong-typed field of a record, in words, or undefined when all are right. */
function checkTypes(f: Record<string, unknown>): string | undefined {
  for (const key of ["bn", "bu", "n", "u", "vs"]) if (f[key] !== undefined && typeof f[key] !== "string") return `${key} must be a text string`;
  for (const key of ["bver", "bt", "bv", "bs", "v", "s", "t", "ut"]) if (f[key] !== undefined && !isNumber(f[key])) return `${key} must be a finite number`;
  if (f.vb !== undefined && typeof f.vb !== "boolean") return "vb must be a boolean";
  if (f.vd !== undefined && !(f.vd instanceof Uint8Array)) return "vd must be a byte string";
  return undefined;
}

/** A telemetry pack with its metadata records (`_seq`, `_boot`, `_clock`, `_hist`) taken apart. */
export interface TelemetryPack {
  /** Node id: the base name without its trailing ":". */
  node: string;
  boot: string;
  seq: number;
  /** Base time of the first record, seconds. */
  bt: number;
  /** "wall" (epoch), "uptime" (seconds since boot), "rebased" (uptime made wall time later). */
  clock: string;
  historical: boolean;
  /** The measurement records (local names not starting with "_"), with the quality of their `_q.<channel>` record; a bad one has no value. */
  readings: ResolvedRecord[];
}

/**
 * Decodes a fieldnode telemetry payload (SenML-CBOR, see README "Telemetry
 * payload"). Returns a string saying why the bytes are not one. Never throws.
 */
export function decodeTelemetry(bytes: Uint8Array): TelemetryPack | string {
  const cbor = decodeCbor(bytes);
  if (typeof cbor === "string") return cbor;
  const records = resolveSenml(cbor.value);
  if (typeof records === "string") return records;
  const head = records[0];
  if (head.local !== "_seq" || head.value === undefined) return "record 0 must be _seq with a value";
  if (!Number.isSafeInteger(head.value) || head.value < 1) return `_seq must be a positive integer, got ${head.value}`;
  const boot = records.find((r) => r.local === "_boot");
  if (boot?.stringValue === undefined) return "no _boot record with a string value";
  const first = records.at(0)!;
  const bn = first.name.slice(0, first.name.length - first.local.length);
  // Channel groups set their own base name (`<node>:<channel>`, no n): name them relative to record 0's.
  const named = records.map((r) => (r.name.startsWith(bn) ? { ...r, local: r.name.slice(bn.length) } : r));
  return {
    node: bn.endsWith(":") ? bn.slice(0, -1) : bn,
    boot: boot.stringValue,
    seq: head.value,
    bt: head.time,
    clock: records.find((r) => r.local === "_clock")?.stringValue ?? "wall",
    historical: records.some((r) => r.local === "_hist" && r.boolValue === true),
    // Channel by channel on the wire; shown in time order (stable: pack order at equal times).
    readings: withQuality(named).sort((a, b) => a.time - b.time),
  };
}

/**
 * The channel records, each joined with the `_q.<channel>` record of the same
 * time that precedes it (docs/contracts.md); a `_q` record with no value
 * record after it is a bad reading and stands alone, without a value.
 */
function withQuality(records: readonly ResolvedRecord[]): ResolvedRecord[] {
  const out: ResolvedRecord[] = [];
  let pending: ResolvedRecord | undefined;
  for (const r of records) {
    if (r.local.startsWith("_q.")) {
      if (pending) out.push(pending);
      const local = r.local.slice(3);
      pending = { name: r.name.slice(0, r.name.length - r.local.length) + local, local, time: r.time, quality: r.stringValue ?? "bad" };
    } else if (!r.local.startsWith("_")) {
      if (pending && pending.local === r.local && pending.time === r.time) out.push({ ...r, quality: pending.quality });
      else {
        if (pending) out.push(pending);
        out.push(r);
      }
      pending = undefined;
    }
  }
  if (pending) out.push(pending);
  return out;
}
