import { decodeUtf8 } from "../util/utf8.js";

/** Longest accepted command line, in bytes. */
/** Room for `set mqtt.tls_ca <base64 DER>` of an RSA-4096 CA on one pasted line. */
export const MAX_LINE_BYTES = 3072;

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
  #mask: ((typed: string) => boolean) | undefined;
  /** 0: text; 1: after ESC; 2: inside a CSI sequence (ESC [ ... final byte). */
  #escape = 0;
  /** What the terminal shows of the line being typed (masked characters as "*"). */
  #shown = "";

  /**
   * `mask` is asked, before echoing a character, with the line typed so far:
   * true echoes "*" instead (secrets typed at a terminal are never shown).
   */
  constructor(emit: (event: LineEvent) => void, echo?: (text: string) => void, mask?: (typed: string) => boolean) {
    this.#emit = emit;
    this.#echo = echo;
    this.#mask = mask;
  }

  /** Feeds received bytes; may emit any number of lines. */
  feed(bytes: Uint8Array): void {
    for (const byte of bytes) {
      // Terminal escape sequences (arrow keys, function keys) are swallowed whole.
      if (this.#escape === 1) {
        this.#escape = byte === 0x5b || byte === 0x4f ? 2 : 0;
        continue;
      }
      if (this.#escape === 2) {
        if (byte >= 0x20 && byte <= 0x3f) continue;
        this.#escape = 0;
        if (byte >= 0x40 && byte <= 0x7e) continue;
      }
      if (byte === 0x1b) {
        this.#escape = 1;
        continue;
      }
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
    let start = this.#length;
    while (start > 0 && (byte & 0xc0) === 0x80 && (this.#bytes[start - 1] & 0xc0) === 0x80) start--;
    if ((byte & 0xc0) === 0x80 && start > 0) start--;
    this.#bytes[this.#length++] = byte;
    if (!this.#echo) return;
    if (this.#mask?.(decodeUtf8(this.#bytes.subarray(0, start)))) {
      if ((byte & 0xc0) !== 0x80) this.#show("*");
      return;
    }
    if (byte < 0x80) this.#show(String.fromCharCode(byte));
    else this.#echoTail();
  }

  #erase(): void {
    if (this.#overflow > 0 || this.#length === 0) return;
    // Erase a whole UTF-8 character: drop continuation bytes, then the lead.
    const end = this.#length;
    while (this.#length > 0 && (this.#bytes[this.#length - 1] & 0xc0) === 0x80) this.#length--;
    if (this.#length > 0) this.#length--;
    if (!this.#echo) return;
    // Rub out on screen only what was shown: a stray byte was never echoed.
    const erased = this.#bytes.subarray(this.#length, end);
    const masked = this.#mask?.(decodeUtf8(this.#bytes.subarray(0, this.#length)));
    const shown = masked ? (erased[0] & 0xc0) !== 0x80 : !decodeUtf8(erased).includes("\ufffd");
    if (!shown) return;
    this.#shown = this.#shown.slice(0, -1);
    this.#echo("\b \b");
  }

  /** The line as the terminal shows it so far, to redraw it after an interjected log line. */
  get shown(): string {
    return this.#shown;
  }

  #show(text: string): void {
    this.#shown += text;
    this.#echo!(text);
  }

  #cancel(): void {
    this.#shown = "";
    this.#length = 0;
    this.#overflow = 0;
    this.#echo?.("^C\r\n");
    this.#emit({ line: "" });
  }

  #endLine(): void {
    this.#shown = "";
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
    if (!text.includes("\ufffd")) this.#show(text);
  }
}
