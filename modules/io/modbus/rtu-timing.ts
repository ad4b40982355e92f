/**
 * RTU timing at a baud rate (Modbus over Serial Line V1.02, section 2.5.1.1):
 * a character is 11 bits (start, 8 data, parity or a second stop bit, stop);
 * frames are separated by a silent interval of at least 3.5 characters
 * (t3.5) and the gap between two characters of one frame must not exceed 1.5
 * characters (t1.5). Above 19200 baud the spec fixes t1.5 = 750 µs and t3.5
 * = 1750 µs.
 */
export interface RtuTiming {
  readonly baud: number;
  /** One character on the wire, µs (11 bits). */
  readonly charUs: number;
  /** Inter-character limit inside a frame, µs. */
  readonly t15Us: number;
  /** Silent interval between frames, µs. */
  readonly t35Us: number;
}

/** Bits per RTU character (section 2.5.1). */
export const BITS_PER_CHAR = 11;

/**
 * The timing at `baud`. Throws RangeError for a baud rate that is not a
 * positive integer.
 */
export function rtuTiming(baud: number): RtuTiming {
  if (!Number.isInteger(baud) || baud <= 0) throw new RangeError(`baud must be a positive integer, got ${baud}`);
  const charUs = (BITS_PER_CHAR * 1e6) / baud;
  const fixed = baud > 19200;
  return Object.freeze({
    baud,
    charUs,
    t15Us: fixed ? 750 : 1.5 * charUs,
    t35Us: fixed ? 1750 : 3.5 * charUs,
  });
}

/** Time on the wire for a frame of `bytes` characters, µs. */
export function frameUs(timing: RtuTiming, bytes: number): number {
  return bytes * timing.charUs;
}
