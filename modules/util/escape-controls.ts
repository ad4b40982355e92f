/**
 * Makes outside text safe for one log line or terminal line: every control
 * character — C0 (U+0000-001F: CR, LF, ESC, ...), DEL (U+007F), C1
 * (U+0080-009F, e.g. the 8-bit CSI U+009B) and the Unicode line and
 * paragraph separators (U+2028, U+2029) — is replaced by a visible escape:
 * `\r`, `\n`, `\t`, else `\xNN` or `\uNNNN`. A backslash is left as it is, so
 * text without control characters comes back unchanged (the same string).
 * Used by the logger for every line, and by the console for every reply, so
 * that text from an MQTT payload, a config value or a file cannot forge a
 * line or send an escape sequence to the technician's terminal (ECMA-48
 * section 5: C0 and C1 sets). Never throws.
 */
export function escapeControls(text: string): string {
  let out: string | undefined;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) continue;
    if (c > 0x9f && c !== 0x2028 && c !== 0x2029) continue;
    out = (out ?? "") + text.slice(from, i) + escapeOne(c);
    from = i + 1;
  }
  return out === undefined ? text : out + text.slice(from);
}

function escapeOne(c: number): string {
  if (c === 0x0d) return "\\r";
  if (c === 0x0a) return "\\n";
  if (c === 0x09) return "\\t";
  const hex = c.toString(16);
  return c > 0xff ? `\\u${hex.padStart(4, "0")}` : `\\x${hex.padStart(2, "0")}`;
}
