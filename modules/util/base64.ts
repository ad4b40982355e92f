/** Value of each base64 character (RFC 4648 section 4), -1 for others; built on first use. */
let table: Int8Array | undefined;

/**
 * Decodes standard base64 (RFC 4648 section 4; "=" padding optional,
 * whitespace ignored). Returns undefined for any other character or a
 * length that cannot be base64. No host APIs: runs on XS and Node.
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (!table) {
    table = new Int8Array(128).fill(-1);
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (let i = 0; i < 64; i++) table[alphabet.charCodeAt(i)] = i;
  }
  const out = new Uint8Array(Math.floor((text.length * 3) / 4) + 3);
  let length = 0;
  let bits = 0;
  let count = 0;
  let padding = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09) continue;
    if (code === 0x3d) {
      padding++;
      continue;
    }
    const value = code < 128 ? table[code] : -1;
    if (value < 0 || padding > 0) return undefined;
    bits = (bits << 6) | value;
    count++;
    if (count === 4) {
      out[length++] = (bits >> 16) & 0xff;
      out[length++] = (bits >> 8) & 0xff;
      out[length++] = bits & 0xff;
      bits = 0;
      count = 0;
    }
  }
  if (count === 1 || padding > 2) return undefined;
  if (count === 2) out[length++] = (bits >> 4) & 0xff;
  if (count === 3) {
    out[length++] = (bits >> 10) & 0xff;
    out[length++] = (bits >> 2) & 0xff;
  }
  return out.slice(0, length);
}
