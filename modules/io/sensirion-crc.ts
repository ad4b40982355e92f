/**
 * CRC-8 used by Sensirion chips (SHT3x, SHT4x, SCD4x): polynomial 0x31,
 * init 0xFF, no reflection, no final XOR (SHT3x datasheet, section 4.12).
 * CRC of [0xBE, 0xEF] is 0x92.
 */
export function sensirionCrc8(bytes: Uint8Array, start = 0, length = bytes.length - start): number {
  let crc = 0xff;
  for (let i = start; i < start + length; i++) {
    crc ^= bytes[i];
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x80 ? ((crc << 1) ^ 0x31) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}
