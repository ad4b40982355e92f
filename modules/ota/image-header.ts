/**
 * The header in front of every OTA image (docs/contracts.md, "OTA"):
 * 16 bytes, big-endian:
 *
 *   0..3   magic "FNIM"
 *   4      header format, 1
 *   5,6,7  firmware version major, minor, patch (0-255 each)
 *   8..11  length of the payload that follows (the slot's image), bytes
 *   12..15 reserved, zero
 *
 * The signature and the SHA-256 cover header and payload together, so the
 * version cannot be changed without the update key. The payload (on the
 * board, the ESP-IDF app image) goes to the inactive slot; the header does not.
 */

/** Bytes of the header. */
export const IMAGE_HEADER_BYTES = 16;
const MAGIC = [0x46, 0x4e, 0x49, 0x4d]; // "FNIM"
const FORMAT = 1;

/** A parsed header. */
export interface ImageHeader {
  /** "major.minor.patch" */
  version: string;
  payloadBytes: number;
}

/** Parses the first 16 bytes of an image; throws `RangeError` naming what is wrong. */
export function parseImageHeader(bytes: Uint8Array): ImageHeader {
  if (bytes.byteLength < IMAGE_HEADER_BYTES) throw new RangeError(`image header: ${bytes.byteLength} bytes, need ${IMAGE_HEADER_BYTES}`);
  for (let i = 0; i < 4; i++) if (bytes[i] !== MAGIC[i]) throw new RangeError("image header: no FNIM magic (not a fieldnode image)");
  if (bytes[4] !== FORMAT) throw new RangeError(`image header: format ${bytes[4]}, this firmware reads ${FORMAT}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, IMAGE_HEADER_BYTES);
  return { version: `${bytes[5]}.${bytes[6]}.${bytes[7]}`, payloadBytes: view.getUint32(8) };
}

/** Builds a header (for the build tooling and tests); throws `RangeError` for a version that is not three numbers 0-255. */
export function encodeImageHeader(version: string, payloadBytes: number): Uint8Array {
  const parts = parseVersion(version);
  if (!parts) throw new RangeError(`image header: version ${JSON.stringify(version)} is not major.minor.patch of 0-255`);
  const out = new Uint8Array(IMAGE_HEADER_BYTES);
  out.set(MAGIC);
  out[4] = FORMAT;
  out.set(parts, 5);
  new DataView(out.buffer).setUint32(8, payloadBytes);
  return out;
}

/** "a.b.c" as three numbers 0-255, or `undefined`. */
export function parseVersion(version: string): [number, number, number] | undefined {
  const parts = version.split(".");
  if (parts.length !== 3) return undefined;
  const numbers = parts.map((p) => (p.length >= 1 && p.length <= 3 && [...p].every((c) => c >= "0" && c <= "9") ? Number(p) : NaN));
  return numbers.every((n) => n >= 0 && n <= 255) ? (numbers as [number, number, number]) : undefined;
}

/** Negative when `a` is older than `b`, zero when equal, positive when newer; `undefined` when either is not a.b.c. */
export function compareVersions(a: string, b: string): number | undefined {
  const x = parseVersion(a);
  const y = parseVersion(b);
  if (!x || !y) return undefined;
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}
