/** One DER element (ITU-T X.690 section 8.1): its tag, and where its contents lie in the buffer. */
export interface DerElement {
  tag: number;
  /** The contents (without tag and length). */
  body: Uint8Array;
  /** Offset just past this element in the buffer it was read from. */
  end: number;
}

/**
 * Reads the DER element at `offset` of `bytes` (single-byte tags, definite
 * lengths of up to 4 bytes, X.690 section 8.1.3). Returns undefined when it
 * is truncated or malformed; never throws.
 */
export function readDer(bytes: Uint8Array, offset = 0): DerElement | undefined {
  if (offset + 2 > bytes.length) return undefined;
  const tag = bytes[offset];
  let length = bytes[offset + 1];
  let at = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || at + count > bytes.length) return undefined;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[at++];
  }
  if (at + length > bytes.length) return undefined;
  return { tag, body: bytes.subarray(at, at + length), end: at + length };
}

/** The elements inside a constructed element's contents, in order; undefined when any is malformed. */
export function derChildren(body: Uint8Array): DerElement[] | undefined {
  const out: DerElement[] = [];
  for (let at = 0; at < body.length; ) {
    const element = readDer(body, at);
    if (!element) return undefined;
    out.push(element);
    at = element.end;
  }
  return out;
}
