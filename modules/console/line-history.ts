/** Lines a terminal can recall with Up/Down. */
export const HISTORY_LINES = 8;
/** Longest line kept, in UTF-8 bytes; a longer one is not kept (a cut command would run the wrong thing). */
export const HISTORY_LINE_BYTES = 128;
/** Bytes of all kept lines together; the oldest go first to stay within it. */
export const HISTORY_BYTES = 512;

/**
 * A bounded history of console lines, oldest first, with a recall cursor.
 * Bounds: `HISTORY_LINES` lines, `HISTORY_LINE_BYTES` per line (a longer
 * line is refused: `add` returns false), `HISTORY_BYTES` in all (the oldest
 * lines are evicted). Empty or blank lines and a repeat of the newest line
 * are not kept. What must never be kept (secrets) is the caller's to decide.
 */
export class LineHistory {
  #lines: string[] = [];
  #bytes = 0;
  /** Index of the recalled line; `#lines.length` when not recalling. */
  #cursor = 0;

  /** Keeps `line` as the newest and ends any recall; false when it is too long to keep. */
  add(line: string): boolean {
    this.reset();
    if (line.trim() === "" || line === this.#lines[this.#lines.length - 1]) return true;
    const bytes = utf8Length(line);
    if (bytes > HISTORY_LINE_BYTES) return false;
    this.#lines.push(line);
    this.#bytes += bytes;
    while (this.#lines.length > HISTORY_LINES || this.#bytes > HISTORY_BYTES) this.#bytes -= utf8Length(this.#lines.shift()!);
    this.reset();
    return true;
  }

  /** Up: the line before the one recalled (the newest at first); undefined at the oldest or when empty. */
  older(): string | undefined {
    if (this.#cursor === 0) return undefined;
    return this.#lines[--this.#cursor];
  }

  /** Down: the next newer line; "" past the newest; undefined when not recalling. */
  newer(): string | undefined {
    if (this.#cursor >= this.#lines.length) return undefined;
    this.#cursor++;
    return this.#cursor === this.#lines.length ? "" : this.#lines[this.#cursor];
  }

  /** Ends a recall: the next Up starts again from the newest line. */
  reset(): void {
    this.#cursor = this.#lines.length;
  }

  /** The kept lines, oldest first. */
  get lines(): readonly string[] {
    return this.#lines;
  }

  /** UTF-8 bytes of the kept lines. */
  get bytes(): number {
    return this.#bytes;
  }
}

/** UTF-8 length of a string without encoding it (a lone surrogate counts 3, as U+FFFD). */
function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
