import { IMPROV_HEADER, IMPROV_VERSION, improvChecksum } from "./improv-packet.js";

/** What the framer hands on: text bytes for the line reader, whole packets, and broken ones. */
export interface ImprovSinks {
  /** Bytes that are not part of an Improv packet, in order. */
  text(bytes: Uint8Array): void;
  /** A packet whose checksum matched. */
  packet(type: number, data: Uint8Array): void;
  /** A packet whose checksum did not match (it is dropped whole). */
  bad(reason: string): void;
}

const HEADER_BYTES = IMPROV_HEADER.length + 1;

/**
 * Recognises Improv serial packets in the console byte stream, in front of
 * the line reader. Bytes matching "IMPROV" + version 1 are held until the
 * header is complete (then type, length, data and checksum are read) or
 * breaks off (then they go on as text). Everything else passes through
 * untouched and in order. A packet is at most 7 + 2 + 255 + 1 bytes, so the
 * buffer is fixed; nothing here throws.
 */
export class ImprovFramer {
  #sinks: ImprovSinks;
  /** Header (and version) bytes matched so far, or the packet being read. */
  #buffer = new Uint8Array(HEADER_BYTES + 2 + 255 + 1);
  #length = 0;
  /** Total packet length once the length byte is known, else 0. */
  #expected = 0;

  constructor(sinks: ImprovSinks) {
    this.#sinks = sinks;
  }

  /** True while a packet (or its possible header) is being held. */
  get holding(): boolean {
    return this.#length > 0;
  }

  feed(bytes: Uint8Array): void {
    let textStart = 0;
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i];
      if (this.#length === 0 && byte !== IMPROV_HEADER[0]) continue;
      if (this.#length === 0 && i > textStart) this.#sinks.text(bytes.subarray(textStart, i));
      textStart = i + 1;
      if (this.#length < HEADER_BYTES) {
        const wanted = this.#length < IMPROV_HEADER.length ? IMPROV_HEADER[this.#length] : IMPROV_VERSION;
        if (byte === wanted) {
          this.#buffer[this.#length++] = byte;
          continue;
        }
        // Not a packet after all: what was held is text; this byte may start a header itself.
        this.#sinks.text(this.#buffer.slice(0, this.#length));
        this.#length = 0;
        if (byte === IMPROV_HEADER[0]) this.#buffer[this.#length++] = byte;
        else textStart = i;
        continue;
      }
      this.#buffer[this.#length++] = byte;
      if (this.#length === HEADER_BYTES + 2) this.#expected = HEADER_BYTES + 2 + byte + 1;
      if (this.#expected > 0 && this.#length === this.#expected) this.#finish();
    }
    if (this.#length === 0 && textStart < bytes.length) this.#sinks.text(bytes.subarray(textStart));
  }

  #finish(): void {
    const packet = this.#buffer.slice(0, this.#length);
    this.#length = 0;
    this.#expected = 0;
    const sum = improvChecksum(packet.subarray(0, packet.length - 1));
    if (sum !== packet[packet.length - 1]) this.#sinks.bad(`checksum 0x${hex(packet[packet.length - 1])} does not match 0x${hex(sum)}`);
    else this.#sinks.packet(packet[HEADER_BYTES], packet.subarray(HEADER_BYTES + 2, packet.length - 1));
  }
}

function hex(byte: number): string {
  return (byte < 16 ? "0" : "") + byte.toString(16);
}
