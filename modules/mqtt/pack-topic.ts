import { decodeTelemetryPack } from "../telemetry/telemetry-pack.js";
import { nodeTopics } from "./topics.js";

/** What a node id read from a stored pack may look like before it goes into a topic (no wildcards, no levels). */
const SAFE_ID = String.raw`^[A-Za-z0-9_.-]{1,64}$`;

/**
 * The node id a telemetry pack was made under: its base name (`bn`,
 * `"<nodeId>:"`) read from the first bytes (array, map, label -2, text:
 * how `encodeSenmlPack` always lays it out), else by decoding the pack.
 * Undefined when the bytes are not a pack or the id is not topic-safe.
 */
export function packNodeId(bytes: Uint8Array): string | undefined {
  let id = quickBaseName(bytes);
  if (id === undefined) {
    const pack = decodeTelemetryPack(bytes);
    if (typeof pack === "string") return undefined;
    id = pack.nodeId;
  }
  return new RegExp(SAFE_ID).test(id) ? id : undefined;
}

/**
 * The telemetry topic of a stored pack: `<prefix>/<the id it was made
 * under>/tele`, so packs made before a node.id change or factory reset
 * leave under their own identity (docs/contracts.md); `currentId` when the
 * pack names none.
 */
export function packTopic(prefix: string, bytes: Uint8Array, currentId: string): string {
  return nodeTopics(prefix, packNodeId(bytes) ?? currentId).tele;
}

/** bn of record 0 when it is the map's first entry, as the encoder writes it. */
function quickBaseName(b: Uint8Array): string | undefined {
  let i = 0;
  const head = b[i++];
  if (head === 0x98) i++;
  else if (head === 0x99) i += 2;
  else if (!(head >= 0x81 && head <= 0x97)) return undefined;
  const map = b[i++];
  if (map === 0xb8) i++;
  else if (!(map >= 0xa1 && map <= 0xb7)) return undefined;
  if (b[i++] !== 0x21) return undefined;
  const text = b[i++];
  let length: number;
  if (text >= 0x60 && text <= 0x77) length = text - 0x60;
  else if (text === 0x78) length = b[i++];
  else return undefined;
  if (i + length > b.byteLength || length < 2 || b[i + length - 1] !== 0x3a) return undefined;
  let id = "";
  for (let k = i; k < i + length - 1; k++) {
    if (b[k] > 0x7e || b[k] < 0x21) return undefined;
    id += String.fromCharCode(b[k]);
  }
  return id;
}
