import { decodeCbor, decodeTelemetry, type TelemetryPack } from "./senml-decode.js";

/** One MQTT message as the monitor understood it. */
export type MonitorMessage =
  | { kind: "tele"; topic: string; node: string; pack: TelemetryPack }
  | { kind: "state"; topic: string; node: string; state: string }
  | { kind: "birth" | "evt" | "resp"; topic: string; node: string; body: unknown }
  | { kind: "cmd"; topic: string; node: string; verb: string; body: unknown }
  /** A message the monitor cannot read: wrong topic, or payload not what the topic promises. */
  | { kind: "warning"; topic: string; node?: string; reason: string; size: number; head: string };

/** Deepest nesting rendered before "…" (payloads are small; this bounds recursion). */
const MAX_DEPTH = 16;
/** Bytes of an unreadable payload shown as hex. */
const HEAD_BYTES = 32;

/**
 * Turns a decoded CBOR value into plain JSON-safe data: maps become objects
 * (keys as text), byte strings lower-case hex prefixed "h'", bigints and
 * non-finite numbers text, tags `{tag, value}`. Never throws.
 */
export function toPlain(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) return "…";
  if (value === undefined || value === null) return null;
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (value instanceof Uint8Array) return `h'${Buffer.from(value).toString("hex")}'`;
  if (Array.isArray(value)) return value.map((item) => toPlain(item, depth + 1));
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of value) out[typeof key === "string" ? key : JSON.stringify(toPlain(key, depth + 1))] = toPlain(item, depth + 1);
    return out;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  if (typeof value === "object") {
    const tagged = value as { tag?: unknown; value?: unknown };
    if (typeof tagged.tag === "number") return { tag: tagged.tag, value: toPlain(tagged.value, depth + 1) };
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = toPlain(item, depth + 1);
    return out;
  }
  return String(value);
}

const hexHead = (payload: Uint8Array) =>
  Buffer.from(payload.subarray(0, HEAD_BYTES)).toString("hex") + (payload.length > HEAD_BYTES ? "…" : "");

/** Decodes a CBOR map payload (birth, evt, resp, cmd); a string says why not. */
function cborMap(payload: Uint8Array): { body: unknown } | string {
  if (payload.length === 0) return "empty payload";
  const cbor = decodeCbor(payload);
  if (typeof cbor === "string") return cbor;
  if (!(cbor.value instanceof Map) && (typeof cbor.value !== "object" || cbor.value === null || Array.isArray(cbor.value)))
    return "expected a CBOR map";
  return { body: toPlain(cbor.value) };
}

/**
 * Classifies and decodes one message received under `<prefix>/+/#` by its
 * topic (README "MQTT topics"): tele (SenML-CBOR), state (text), birth, evt,
 * resp and cmd/<verb> (CBOR maps). Anything else, or a payload that is not
 * what its topic promises, is a `warning`. Never throws.
 */
export function decodeMessage(topic: string, payload: Uint8Array, prefix: string): MonitorMessage {
  const warn = (reason: string, node?: string): MonitorMessage =>
    ({ kind: "warning", topic, ...(node === undefined ? {} : { node }), reason, size: payload.length, head: hexHead(payload) });
  try {
    if (!topic.startsWith(`${prefix}/`)) return warn(`topic outside the prefix "${prefix}"`);
    const [node, kind, ...rest] = topic.slice(prefix.length + 1).split("/");
    if (!node || kind === undefined) return warn("topic has no node and message kind");
    if (kind === "cmd" && rest.length === 1 && rest[0] !== "") {
      if (payload.length === 0) return { kind: "cmd", topic, node, verb: rest[0], body: null };
      const body = cborMap(payload);
      return typeof body === "string" ? warn(`cmd/${rest[0]}: ${body}`, node) : { kind: "cmd", topic, node, verb: rest[0], body: body.body };
    }
    if (rest.length > 0) return warn(`unknown topic kind "${[kind, ...rest].join("/")}"`, node);
    switch (kind) {
      case "tele": {
        const pack = decodeTelemetry(payload);
        if (typeof pack === "string") return warn(`tele: ${pack}`, node);
        if (pack.node !== node) return warn(`tele: base name "${pack.node}:" does not match the topic's node`, node);
        return { kind: "tele", topic, node, pack };
      }
      case "state": {
        const text = new TextDecoder("utf-8", { fatal: true }).decode(payload);
        if (text !== "online" && text !== "offline") return warn(`state: expected online or offline, got ${JSON.stringify(text.slice(0, 40))}`, node);
        return { kind: "state", topic, node, state: text };
      }
      case "birth": case "evt": case "resp": {
        const body = cborMap(payload);
        return typeof body === "string" ? warn(`${kind}: ${body}`, node) : { kind, topic, node, body: body.body };
      }
      default:
        return warn(`unknown topic kind "${kind}"`, node);
    }
  } catch (error) {
    return warn(`undecodable: ${error instanceof Error ? error.message : String(error)}`);
  }
}
