import { decodeUtf8, encodeUtf8 } from "../util/utf8.js";

/** Longest accepted command line, in bytes. */
/** Room for `set mqtt.tls_ca <base64 DER>` of an RSA-4096 CA on one pasted line. */
export const MAX_LINE_BYTES = 3072;

/** What the reader hands on: a complete line, or the fact that one was too long. */
export type LineEvent = { line: string } | { overflow: number };

/**
 * What a terminal adds to the line discipline, supplied by whoever knows the
 * prompt and keeps the history (the console): the reader parses the keys and
 * owns the line, the editing side decides what to recall and how to redraw.
 */
export interface LineEditing {
  /** Up ("older") or Down ("newer"): the text to put on the line instead, or undefined to leave it. */
  recall(direction: "older" | "newer"): string | undefined;
  /** Shows `shown` as the whole line, prompt included, in place of what the terminal shows now. */
  redraw(shown: string): void;
}

/**
 * Serial line discipline: assembles bytes into lines. CR, LF and CRLF all end
 * a line; backspace and DEL erase; other control bytes are dropped; a line
 * over `MAX_LINE_BYTES` is discarded up to its end and reported once.
 * Escape sequences are swallowed, but never a control byte inside or right
 * after one (ESC then LF is still a line end). When `echo` is given (a person at a
 * terminal), typed characters are echoed and Ctrl-U clears the line; with
 * `editing` too, Up and Down (ESC [ A / ESC [ B, ESC O A / ESC O B) replace
 * the line with a recalled one. Without `echo`, Ctrl-U is dropped like any
 * other control byte.
 */
export class LineReader {
  #bytes = new Uint8Array(MAX_LINE_BYTES);
  #length = 0;
  #overflow = 0;
  #lastWasCR = false;
  #emit: (event: LineEvent) => void;
  #echo: ((text: string) => void) | undefined;
  #mask: ((typed: string) => boolean) | undefined;
  #editing: LineEditing | undefined;
  /** 0: text; 1: after ESC; 2: after ESC [ or ESC O; 3: inside its parameters (ESC [ 1 ; 5 ... final byte). */
  #escape = 0;
  /** What the terminal shows of the line being typed (masked characters as "*"). */
  #shown = "";

  /**
   * `mask` is asked, before echoing a character, with the line typed so far:
   * true echoes "*" instead (secrets typed at a terminal are never shown).
   * `editing` is used only together with `echo`.
   */
  constructor(emit: (event: LineEvent) => void, echo?: (text: string) => void, mask?: (typed: string) => boolean, editing?: LineEditing) {
    this.#emit = emit;
    this.#echo = echo;
    this.#mask = mask;
    this.#editing = echo && editing;
  }

  /** Feeds received bytes; may emit any number of lines. */
  feed(bytes: Uint8Array): void {
    for (const byte of bytes) {
      // Terminal escape sequences (arrow keys, function keys) are swallowed whole.
      // ESC and one printable byte (Alt-x) is swallowed; a control byte after ESC
      // (a line end, Ctrl-C, another ESC) ends the escape and is handled as itself.
      if (this.#escape === 1) {
        this.#escape = byte === 0x5b || byte === 0x4f ? 2 : 0;
        if (byte >= 0x20 && byte <= 0x7f) continue;
      }
      if (this.#escape >= 2) {
        if (byte >= 0x20 && byte <= 0x3f) {
          this.#escape = 3;
          continue;
        }
        const bare = this.#escape === 2;
        this.#escape = 0;
        if (byte >= 0x40 && byte <= 0x7e) {
          if (bare && (byte === 0x41 || byte === 0x42)) this.#recall(byte === 0x41 ? "older" : "newer");
          continue;
        }
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
      else if (byte === 0x15) this.#clearLine();
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

  /** Ctrl-U: empties the line, on screen too (a terminal only). */
  #clearLine(): void {
    if (!this.#echo) return;
    const columns = [...this.#shown].length;
    this.#length = 0;
    this.#overflow = 0;
    this.#shown = "";
    if (this.#editing) this.#editing.redraw("");
    else this.#echo("\b \b".repeat(columns));
  }

  /** Up/Down: puts a recalled line in place of the one being typed. */
  #recall(direction: "older" | "newer"): void {
    const text = this.#editing?.recall(direction);
    if (text === undefined) return;
    let bytes = encodeUtf8(text);
    if (bytes.length > MAX_LINE_BYTES) bytes = bytes.subarray(0, 0);
    this.#bytes.set(bytes);
    this.#length = bytes.length;
    this.#overflow = 0;
    // Shown as typing it would show it: masked where the mask says so, invalid UTF-8 not at all.
    let shown = "";
    let typed = "";
    for (const ch of decodeUtf8(bytes)) {
      if (ch !== "\ufffd") shown += this.#mask?.(typed) ? "*" : ch;
      typed += ch;
    }
    this.#shown = shown;
    this.#editing!.redraw(shown);
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
