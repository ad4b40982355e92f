/**
 * Follows the MQTT 3.1.1 packet boundaries (§2.2) in the bytes the SDK's MQTT
 * client reads from its socket, to recover what that client does not report:
 * the retain flag of an incoming PUBLISH (§3.3.1.3). The client reads one
 * byte at a time as a number while it parses headers and payload bytes as
 * ArrayBuffers, always in stream order, so watching its reads is enough.
 * Fed anything else (undefined when no data), it ignores it; it never throws.
 */
export class PublishFlagsWatch {
  #state: "header" | "length" | "body" = "header";
  #left = 0;
  #multiplier = 1;
  #lengthBytes = 0;
  #retain = false;

  /** The retain flag of the PUBLISH whose fixed header was read last (false before any). */
  get retain(): boolean {
    return this.#retain;
  }

  /** Takes what one `socket.read()` returned: a byte as a number, bytes as an ArrayBuffer, or nothing. */
  observe(value: unknown): void {
    if (typeof value === "number") this.#byte(value & 0xff);
    else if (value instanceof ArrayBuffer) this.#bytes(new Uint8Array(value));
  }

  #bytes(bytes: Uint8Array): void {
    let at = 0;
    while (at < bytes.length) {
      if (this.#state === "body") {
        const taken = Math.min(this.#left, bytes.length - at);
        this.#left -= taken;
        at += taken;
        if (this.#left === 0) this.#state = "header";
      } else this.#byte(bytes[at++]!);
    }
  }

  #byte(byte: number): void {
    switch (this.#state) {
      case "header":
        if (byte >> 4 === 3) this.#retain = (byte & 1) === 1;
        this.#state = "length";
        this.#left = 0;
        this.#multiplier = 1;
        this.#lengthBytes = 0;
        return;
      case "length":
        this.#left += (byte & 0x7f) * this.#multiplier;
        this.#multiplier *= 128;
        this.#lengthBytes++;
        // A fifth length byte is malformed: the client closes the link, so start over.
        if ((byte & 0x80) === 0 || this.#lengthBytes === 4) this.#state = this.#left > 0 && (byte & 0x80) === 0 ? "body" : "header";
        return;
      case "body":
        if (--this.#left === 0) this.#state = "header";
    }
  }
}
