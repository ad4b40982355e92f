import { decodeUtf8 } from "../util/utf8.js";

/** Longest accepted command line, in bytes. */
export const MAX_LINE_BYTES = 512;

/** What the reader hands on: a complete line, or the fact that one was too long. */
export type LineEvent = { line: string } | { overflow: number };

/**
 * Serial line discipline: assembles bytes into lines. CR, LF and CRLF all end
 * a line; backspace and DEL erase; other control bytes are dropped; a line
 * over `MAX_LINE_BYTES` is discarded up to its end and reported once. When
 * `echo` is given (a person at a terminal), typed characters are echoed.
 */
export class LineReader {
  #bytes = new Uint8Array(MAX_LINE_BYTES);
  #length = 0;
  #overflow = 0;
  #lastWasCR = false;
  #emit: (event: LineEvent) => void;
  #echo: ((text: string) => void) | undefined;

  constructor(emit: (event: LineEvent) => void, echo?: (text: string) => void) {
    this.#emit = emit;
    this.#echo = echo;
  }

  /** Feeds received bytes; may emit any number of lines. */
  feed(bytes: Uint8Array): void {
    for (const byte of bytes) {
      if (byte === 0x0a && this.#lastWasCR) {
        this.#lastWasCR = false;
        continue;
      }
      this.#lastWasCR = byte === 0x0d;
      if (byte === 0x0d || byte === 0x0a) this.#endLine();
      else if (byte === 0x08 || byte === 0x7f) this.#erase();
      else if (byte === 0x03) this.#cancel();
      else if (byte >= 0x20 || byte === 0x09) this.#append(byte === 0x09 ? 0x20 : byte);
    }
  }

  #append(byte: number): void {
    if (this.#overflow > 0 || this.#length >= MAX_LINE_BYTES) {
      this.#overflow++;
      return;
    }
    this.#bytes[this.#length++] = byte;
    if (!this.#echo) return;
    if (byte < 0x80) this.#echo(String.fromCharCode(byte));
    else this.#echoTail();
  }

  #erase(): void {
    if (this.#overflow > 0 || this.#length === 0) return;
    // Erase a whole UTF-8 character: drop continuation bytes, then the lead.
    while (this.#length > 0 && (this.#bytes[this.#length - 1] & 0xc0) === 0x80) this.#length--;
    if (this.#length > 0) this.#length--;
    this.#echo?.("\b \b");
  }

  #cancel(): void {
    this.#length = 0;
    this.#overflow = 0;
    this.#echo?.("^C\r\n");
    this.#emit({ line: "" });
  }

  #endLine(): void {
    this.#echo?.("\r\n");
    if (this.#overflow > 0) this.#emit({ overflow: MAX_LINE_BYTES + this.#overflow });
    else this.#emit({ line: decodeUtf8(this.#bytes.subarray(0, this.#length)) });
    this.#length = 0;
    this.#overflow = 0;
  }

  /** Echoes a multi-byte character once its last byte has arrived. */
  #echoTail(): void {
    let start = this.#length - 1;
    while (start > 0 && (this.#bytes[start] & 0xc0) === 0x80) start--;
    const text = decodeUtf8(this.#bytes.subarray(start, this.#length));
    if (!text.includes("\ufffd")) this.#echo!(text);
  }
}
