/** A whole MQTT packet, fixed header included, ready for the parser. */
export interface FramedPacket {
  kind: "packet";
  bytes: Buffer;
}

/**
 * A PUBLISH larger than the bound, received to its end without being kept:
 * what its fixed and variable headers said (MQTT 3.1.1 §3.3.1-§3.3.2), and
 * its size in bytes (fixed header + remaining length).
 */
export interface SkippedPublish {
  kind: "skipped";
  topic: string;
  qos: number;
  retain: boolean;
  /** Packet identifier (QoS 1 and 2), else 0. */
  messageId: number;
  /** The whole packet. */
  bytes: number;
  /** The application message alone (the packet less its headers). */
  payloadBytes: number;
}

/** What one `push` found: complete items in arrival order, and the error that stopped it, if any. */
export interface FramerResult {
  items: (FramedPacket | SkippedPublish)[];
  error?: string;
}

const PUBLISH = 3;
const fatalUtf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Splits a byte stream into whole MQTT 3.1.1 packets without trusting the
 * peer. A packet up to `max` bytes is buffered and returned whole. A PUBLISH
 * over `max` is not buffered: its topic and packet id are read (at most
 * 65,541 bytes), the rest of its body is counted and dropped as it arrives,
 * and one `skipped` item reports it when its last byte has come, so the
 * stream stays in step and the caller can acknowledge it. Any other packet
 * over `max`, a remaining length of more than 4 bytes (§2.2.3), a topic
 * length beyond the packet, or a topic that is not UTF-8 stops the framer
 * with an error (it stays stopped).
 */
export class MqttFramer {
  #pending: Buffer = Buffer.alloc(0);
  #skip: { header: SkippedPublish; left: number } | undefined;
  #error: string | undefined;

  /** `max`: the largest packet kept whole, bytes (fixed header included). */
  constructor(readonly max: number) {}

  /** Feeds received bytes; returns what completed. */
  push(chunk: Buffer): FramerResult {
    const items: (FramedPacket | SkippedPublish)[] = [];
    if (this.#error !== undefined) return { items, error: this.#error };
    let data = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    this.#pending = Buffer.alloc(0);
    for (;;) {
      if (this.#skip) {
        const taken = Math.min(this.#skip.left, data.length);
        this.#skip.left -= taken;
        data = data.subarray(taken);
        if (this.#skip.left > 0) return { items };
        items.push(this.#skip.header);
        this.#skip = undefined;
      }
      const header = readFixedHeader(data);
      if (header === undefined) break;
      if (typeof header === "string") return this.#stop(items, header);
      const total = header.headerBytes + header.length;
      if (total <= this.max) {
        if (data.length < total) break;
        items.push({ kind: "packet", bytes: data.subarray(0, total) });
        data = data.subarray(total);
        continue;
      }
      if (header.type !== PUBLISH) return this.#stop(items, `packet of ${total} bytes exceeds the ${this.max}-byte limit`);
      const start = readPublishStart(data, header.headerBytes, header.flags, total);
      if (start === undefined) break;
      if (typeof start === "string") return this.#stop(items, start);
      const qos = (header.flags >> 1) & 3;
      this.#skip = {
        header: { kind: "skipped", topic: start.topic, qos, retain: (header.flags & 1) === 1, messageId: start.messageId, bytes: total, payloadBytes: total - start.end },
        left: total,
      };
    }
    this.#pending = data;
    return { items };
  }

  /** True while a packet has started and not ended (bytes kept, or a body being skipped). */
  get midPacket(): boolean {
    return this.#pending.length > 0 || this.#skip !== undefined;
  }

  #stop(items: (FramedPacket | SkippedPublish)[], error: string): FramerResult {
    this.#error = error;
    this.#pending = Buffer.alloc(0);
    return { items, error };
  }
}

/** The fixed header (§2.2): undefined while incomplete, a message when malformed. */
function readFixedHeader(data: Buffer): { type: number; flags: number; length: number; headerBytes: number } | string | undefined {
  if (data.length === 0) return undefined;
  let length = 0;
  let multiplier = 1;
  for (let index = 1; ; index++) {
    if (index > 4) return "malformed remaining length";
    if (index >= data.length) return undefined;
    const byte = data[index];
    length += (byte & 0x7f) * multiplier;
    multiplier *= 128;
    if ((byte & 0x80) === 0) return { type: data[0] >> 4, flags: data[0] & 0x0f, length, headerBytes: index + 1 };
  }
}

/** Topic and packet id of a PUBLISH (§3.3.2): undefined until they have arrived. */
function readPublishStart(data: Buffer, at: number, flags: number, total: number): { topic: string; messageId: number; end: number } | string | undefined {
  if (data.length < at + 2) return undefined;
  const topicBytes = data.readUInt16BE(at);
  const qos = (flags >> 1) & 3;
  const end = at + 2 + topicBytes + (qos > 0 ? 2 : 0);
  if (end > total) return `PUBLISH topic length ${topicBytes} runs past the packet`;
  if (data.length < end) return undefined;
  let topic: string;
  try {
    topic = fatalUtf8.decode(data.subarray(at + 2, at + 2 + topicBytes));
  } catch {
    return "PUBLISH topic is not UTF-8";
  }
  return { topic, messageId: qos > 0 ? data.readUInt16BE(at + 2 + topicBytes) : 0, end };
}
