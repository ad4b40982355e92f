/**
 * UTF-8 without TextEncoder/TextDecoder: on Moddable those are modules, not
 * globals, and the firmware must not depend on either host's globals.
 */

/**
 * Code point at `i` of `text`, with a lone surrogate as U+FFFD; a pair counts
 * as one (the caller skips the low half when the result is above U+FFFF).
 */
function codePointAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 0xd800 || c > 0xdfff) return c;
  const next = text.charCodeAt(i + 1);
  if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) return 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
  return 0xfffd;
}

/** Bytes `text` takes in UTF-8, without encoding it (no allocation). */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const cp = codePointAt(text, i);
    if (cp < 0x80) n += 1;
    else if (cp < 0x800) n += 2;
    else if (cp < 0x10000) n += 3;
    else {
      n += 4;
      i++;
    }
  }
  return n;
}

/**
 * Encodes a string as UTF-8 (lone surrogates become U+FFFD) into one
 * pre-sized buffer: on XS a growing array of numbers costs a slot per byte.
 */
export function encodeUtf8(text: string): Uint8Array {
  const out = new Uint8Array(utf8Length(text));
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const cp = codePointAt(text, i);
    if (cp < 0x80) out[o++] = cp;
    else if (cp < 0x800) {
      out[o++] = 0xc0 | (cp >> 6);
      out[o++] = 0x80 | (cp & 63);
    } else if (cp < 0x10000) {
      out[o++] = 0xe0 | (cp >> 12);
      out[o++] = 0x80 | ((cp >> 6) & 63);
      out[o++] = 0x80 | (cp & 63);
    } else {
      out[o++] = 0xf0 | (cp >> 18);
      out[o++] = 0x80 | ((cp >> 12) & 63);
      out[o++] = 0x80 | ((cp >> 6) & 63);
      out[o++] = 0x80 | (cp & 63);
      i++;
    }
  }
  return out;
}

/**
 * Decodes UTF-8; malformed sequences become U+FFFD, one per maximal subpart
 * (as TextDecoder with fatal: false does), never an exception.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  let text = "";
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let need = 0;
    let cp = 0;
    if (b < 0x80) { text += String.fromCharCode(b); i++; continue; }
    if (b >= 0xc2 && b <= 0xdf) { need = 1; cp = b & 0x1f; }
    else if (b >= 0xe0 && b <= 0xef) { need = 2; cp = b & 0x0f; }
    else if (b >= 0xf0 && b <= 0xf4) { need = 3; cp = b & 0x07; }
    else { text += "\ufffd"; i++; continue; }
    // The second byte's range rules out overlongs, surrogates and > U+10FFFF
    // (Unicode §3.9 table 3-7), so a bad sequence ends at the first byte that
    // cannot continue it ("substitution of maximal subparts", WHATWG Encoding).
    const low = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const high = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    let j = 1;
    for (; j <= need && i + j < bytes.length; j++) {
      const c = bytes[i + j];
      if (c < (j === 1 ? low : 0x80) || c > (j === 1 ? high : 0xbf)) break;
      cp = (cp << 6) | (c & 0x3f);
    }
    const complete = j === need + 1;
    const minimal = need === 1 || (need === 2 && cp >= 0x800) || (need === 3 && cp >= 0x10000);
    if (!complete || !minimal || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      text += "\ufffd";
      i += complete ? need + 1 : j;
      continue;
    }
    text += String.fromCodePoint(cp);
    i += need + 1;
  }
  return text;
}
