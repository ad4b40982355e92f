/**
 * How a channel's value sits in Modbus registers: u16/s16 in one register;
 * u32/s32/f32 (IEEE 754) in two, high word first (Modbus Application
 * Protocol section 4.2: big-endian words; the word order of 32-bit values is
 * the device's choice), and their word-swapped variants u32sw/s32sw/f32sw
 * with the low word first. Coils and discrete inputs are bits (0/1).
 */
export const REGISTER_FORMATS = Object.freeze(["u16", "s16", "u32", "s32", "f32", "u32sw", "s32sw", "f32sw"] as const);
export type RegisterFormat = (typeof REGISTER_FORMATS)[number];

/** Registers a format takes: 1 or 2. */
export function registersOf(format: RegisterFormat): 1 | 2 {
  return format === "u16" || format === "s16" ? 1 : 2;
}

/** The number in `words` (0..65535 each, as many as `registersOf(format)`). Never throws. */
export function decodeFormat(format: RegisterFormat, words: readonly number[]): number {
  if (format === "u16") return words[0];
  if (format === "s16") return words[0] >= 0x8000 ? words[0] - 0x10000 : words[0];
  const swapped = format.endsWith("sw");
  const hi = swapped ? words[1] : words[0];
  const lo = swapped ? words[0] : words[1];
  const view = new DataView(new ArrayBuffer(4));
  view.setUint16(0, hi);
  view.setUint16(2, lo);
  if (format.startsWith("u32")) return view.getUint32(0);
  if (format.startsWith("s32")) return view.getInt32(0);
  return view.getFloat32(0);
}

/** Smallest and largest raw number a format holds (f32: the largest finite float32). */
export function formatRange(format: RegisterFormat): { min: number; max: number } {
  if (format === "u16") return { min: 0, max: 0xffff };
  if (format === "s16") return { min: -0x8000, max: 0x7fff };
  if (format.startsWith("u32")) return { min: 0, max: 0xffffffff };
  if (format.startsWith("s32")) return { min: -0x80000000, max: 0x7fffffff };
  return { min: -3.4028234663852886e38, max: 3.4028234663852886e38 };
}

/**
 * The registers (0..65535 each) that hold `raw` in `format`, the inverse of
 * `decodeFormat`: integer formats round to the nearest whole number. Throws
 * RangeError for a number that is not finite or does not fit the format.
 */
export function encodeFormat(format: RegisterFormat, raw: number): number[] {
  const { min, max } = formatRange(format);
  const value = format.startsWith("f32") ? raw : Math.round(raw);
  if (!Number.isFinite(value) || value < min || value > max) throw new RangeError(`${raw} does not fit ${format} (${min}..${max})`);
  if (format === "u16" || format === "s16") return [value & 0xffff];
  const view = new DataView(new ArrayBuffer(4));
  if (format.startsWith("f32")) view.setFloat32(0, value);
  else view.setUint32(0, value >>> 0);
  const hi = view.getUint16(0);
  const lo = view.getUint16(2);
  return format.endsWith("sw") ? [lo, hi] : [hi, lo];
}
