/**
 * CRC-16/MODBUS (Modbus over Serial Line V1.02, section 6.2.2 and appendix
 * B): polynomial 0xA001 (reflected 0x8005), initial value 0xFFFF, no final
 * XOR. On the wire the low byte goes first. Table-driven; the table is built
 * once at load (no RegExp, no allocation per call).
 */
const TABLE = /* @__PURE__ */ (() => {
  const table = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** CRC-16/MODBUS of `bytes[start..end)` (default the whole array). "123456789" gives 0x4B37. Never throws. */
export function crc16Modbus(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) crc = (crc >>> 8) ^ TABLE[(crc ^ bytes[i]) & 0xff];
  return crc;
}

/** True when the last two bytes of `frame[0..length)` are the CRC of the bytes before them (low byte first). */
export function crcMatches(frame: Uint8Array, length = frame.length): boolean {
  if (length < 3) return false;
  const crc = crc16Modbus(frame, 0, length - 2);
  return frame[length - 2] === (crc & 0xff) && frame[length - 1] === crc >>> 8;
}

/** A new frame of `body` followed by its CRC (low byte first): an RTU ADU from address + PDU. */
export function withCrc(body: Uint8Array): Uint8Array {
  const frame = new Uint8Array(body.length + 2);
  frame.set(body);
  const crc = crc16Modbus(body);
  frame[body.length] = crc & 0xff;
  frame[body.length + 1] = crc >>> 8;
  return frame;
}
