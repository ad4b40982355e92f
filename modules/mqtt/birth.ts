import { Encoder } from "cbor-x/encode";
import type { NodeConfig } from "../config/node-config.js";
import { compressBound } from "../edge/channel-pipeline.js";
import { sensorType } from "../io/sensor-registry.js";
import { crc32 } from "../util/crc32.js";
import { encodeUtf8 } from "../util/utf8.js";


/** What the birth message says about the running node (docs/contracts.md, "Birth"). */
export interface BirthFacts {
  firmware: string;
  host: string;
  /** The IO is simulated chips (simulator, mcsim): said as `sim: true`, absent otherwise. */
  simulated?: boolean;
  bootId: string;
  bootCount: number;
  resetReason: string;
  /** Resets per reason across boots, this one included (util/reset-counts.ts); reasons never seen are left out. */
  resetCounts?: Record<string, number>;
  clockSynced: boolean;
  config: NodeConfig;
  actuators: readonly { name: string; kind?: string; safe?: number | boolean }[];
  outbox: { depth: number; segments: number; maxSegments: number; dropped: number; torn: number; thinned?: number };
  maxPacketBytes: number;
}

// Plain CBOR maps (no tag 259), as any CBOR decoder reads them.
const encoder = new Encoder({ useRecords: false, useTag259ForMaps: false, tagUint8Array: false, variableMapSize: true } as ConstructorParameters<typeof Encoder>[0]);

/**
 * Digest of the configuration without secrets (user name, password): CRC-32
 * of its JSON text, 8 hex digits. Equal configs give equal digests, so an
 * operator sees a config change without seeing the config.
 */
export function configDigest(config: NodeConfig): string {
  const text = JSON.stringify(config, (key, value) => (key === "password" || key === "username" ? undefined : value));
  return crc32(encodeUtf8(text)).toString(16).padStart(8, "0");
}

/** Encodes the retained birth message: a CBOR map with string keys. */
export function encodeBirth(facts: BirthFacts): Uint8Array {
  const map = new Map<string, unknown>([
    ["node", facts.config.nodeId],
    ["fw", facts.firmware],
    ["host", facts.host],
    ...(facts.simulated ? [["sim", true] as [string, unknown]] : []),
    ["boot", facts.bootId],
    ["bootn", facts.bootCount],
    ["reset", facts.resetReason],
    ...(facts.resetCounts ? [["resets", new Map(Object.entries(facts.resetCounts).filter(([, n]) => n > 0))] as [string, unknown]] : []),
    ["clock", facts.clockSynced ? "wall" : "uptime"],
    ["site", facts.config.site],
    ["channels", facts.config.channels.map((c) => {
      const channel = new Map<string, unknown>([["n", c.name], ["u", c.unit], ["type", c.type], ["measure", c.measure], ["every", c.intervalMs]]);
      // Typical accuracy (±, in the channel's unit) from the type's descriptor (its datasheet).
      const quantity = sensorType(c.type)?.quantities[c.measure];
      if (quantity?.accuracy !== undefined) channel.set("acc", quantity.accuracy);
      // One step of the sensor's output, in the channel's unit (before scale), rounded to 6 significant digits.
      if (quantity && quantity.resolution > 0) channel.set("res", Number(quantity.resolution.toPrecision(6)));
      // The strict bound of the channel's compress filter (docs/contracts.md, reconstruction).
      const e = c.filter ? compressBound(c.filter) : undefined;
      if (e !== undefined) channel.set("e", e);
      return channel;
    })],
    ["actuators", facts.actuators.map((a) => {
      const actuator = new Map<string, unknown>([["n", a.name]]);
      if (a.kind !== undefined) actuator.set("kind", a.kind);
      if (a.safe !== undefined) actuator.set("safe", a.safe);
      return actuator;
    })],
    ["cfg", configDigest(facts.config)],
    ["outbox", new Map<string, number>([
      ["depth", facts.outbox.depth], ["segs", facts.outbox.segments], ["max", facts.outbox.maxSegments],
      ["dropped", facts.outbox.dropped], ["torn", facts.outbox.torn], ["thinned", facts.outbox.thinned ?? 0],
    ])],
    ["maxpkt", facts.maxPacketBytes],
  ]);
  return new Uint8Array(encoder.encode(map));
}

