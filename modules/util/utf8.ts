/**
 * UTF-8 without TextEncoder/TextDecoder: on Moddable those are modules, not
 * globals, and the firmware must not depend on either host's globals.
 */

/** Encodes a string as UTF-8 (lone surrogates become U+FFFD). */
export function encodeUtf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    let cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return Uint8Array.from(out);
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
