/**
 * Bosch BME280 compensation: raw ADC values to temperature, pressure and
 * humidity, with the chip's trimming parameters (BST-BME280-DS002, section
 * 4.2.3, the integer formulas the datasheet recommends; section 8.1 gives
 * the floating-point forms, `compensateFloat` below, used to cross-check).
 * Temperature and humidity are the 32-bit integer versions, emulated
 * exactly with `Math.imul` and `| 0` (C int32 arithmetic); pressure is the
 * 64-bit version, in BigInt. Pure functions: the driver and the chip model
 * share them.
 */

/** Trimming parameters `dig_*` (datasheet table 16), as read from registers 0x88..0xA1 and 0xE1..0xE7. */
export interface BME280Calibration {
  readonly T1: number; readonly T2: number; readonly T3: number;
  readonly P1: number; readonly P2: number; readonly P3: number; readonly P4: number; readonly P5: number;
  readonly P6: number; readonly P7: number; readonly P8: number; readonly P9: number;
  readonly H1: number; readonly H2: number; readonly H3: number; readonly H4: number; readonly H5: number; readonly H6: number;
}

/** Length of the block at 0x88 (T1..P9, a reserved byte at 0xA0, H1 at 0xA1) and of the one at 0xE1 (H2..H6). */
export const CALIBRATION_A_LENGTH = 26;
export const CALIBRATION_B_LENGTH = 7;

const u16 = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8);
const s16 = (b: Uint8Array, i: number) => (u16(b, i) << 16) >> 16;

/**
 * Parses the trimming parameters from block A (26 bytes at 0x88) and block
 * B (7 bytes at 0xE1), little-endian, with dig_H4/dig_H5 split over 0xE4-0xE6
 * as 12-bit signed values (table 16).
 */
export function parseCalibration(a: Uint8Array, b: Uint8Array): BME280Calibration {
  if (a.length < CALIBRATION_A_LENGTH || b.length < CALIBRATION_B_LENGTH) throw new RangeError(`calibration blocks must be ${CALIBRATION_A_LENGTH} and ${CALIBRATION_B_LENGTH} bytes, got ${a.length} and ${b.length}`);
  return Object.freeze({
    T1: u16(a, 0), T2: s16(a, 2), T3: s16(a, 4),
    P1: u16(a, 6), P2: s16(a, 8), P3: s16(a, 10), P4: s16(a, 12), P5: s16(a, 14), P6: s16(a, 16), P7: s16(a, 18), P8: s16(a, 20), P9: s16(a, 22),
    H1: a[25],
    H2: s16(b, 0), H3: b[2],
    H4: (((b[3] << 4) | (b[4] & 0x0f)) << 20) >> 20,
    H5: (((b[5] << 4) | (b[4] >> 4)) << 20) >> 20,
    H6: (b[6] << 24) >> 24,
  });
}

/** The inverse of `parseCalibration`: the two register blocks for a set of parameters (for chip models). */
export function calibrationBytes(c: BME280Calibration): { a: Uint8Array; b: Uint8Array } {
  const a = new Uint8Array(CALIBRATION_A_LENGTH);
  const words = [c.T1, c.T2, c.T3, c.P1, c.P2, c.P3, c.P4, c.P5, c.P6, c.P7, c.P8, c.P9];
  words.forEach((w, i) => {
    a[2 * i] = w & 0xff;
    a[2 * i + 1] = (w >> 8) & 0xff;
  });
  a[25] = c.H1 & 0xff;
  const b = Uint8Array.of(c.H2 & 0xff, (c.H2 >> 8) & 0xff, c.H3 & 0xff, (c.H4 >> 4) & 0xff, (c.H4 & 0x0f) | ((c.H5 & 0x0f) << 4), (c.H5 >> 4) & 0xff, c.H6 & 0xff);
  return { a, b };
}

/** Section 4.2.3 BME280_compensate_T_int32: `t_fine` and the temperature in 0.01 °C. */
export function compensateTemperature(adcT: number, c: BME280Calibration): { tFine: number; centiCelsius: number } {
  const var1 = Math.imul(((adcT >> 3) - (c.T1 << 1)) | 0, c.T2) >> 11;
  const d = ((adcT >> 4) - c.T1) | 0;
  const var2 = Math.imul(Math.imul(d, d) >> 12, c.T3) >> 14;
  const tFine = (var1 + var2) | 0;
  return { tFine, centiCelsius: (Math.imul(tFine, 5) + 128) >> 8 };
}

/** Section 4.2.3 BME280_compensate_P_int64: pressure in Pa × 256 (Q24.8); 0 when the parameters would divide by zero. */
export function compensatePressure(adcP: number, tFine: number, c: BME280Calibration): number {
  let var1 = BigInt(tFine) - 128000n;
  let var2 = var1 * var1 * BigInt(c.P6);
  var2 = var2 + ((var1 * BigInt(c.P5)) << 17n);
  var2 = var2 + (BigInt(c.P4) << 35n);
  var1 = ((var1 * var1 * BigInt(c.P3)) >> 8n) + ((var1 * BigInt(c.P2)) << 12n);
  var1 = (((1n << 47n) + var1) * BigInt(c.P1)) >> 33n;
  if (var1 === 0n) return 0;
  let p = 1048576n - BigInt(adcP);
  p = (((p << 31n) - var2) * 3125n) / var1;
  var1 = (BigInt(c.P9) * (p >> 13n) * (p >> 13n)) >> 25n;
  var2 = (BigInt(c.P8) * p) >> 19n;
  p = ((p + var1 + var2) >> 8n) + (BigInt(c.P7) << 4n);
  return Number(BigInt.asUintN(32, p));
}

/** Section 4.2.3 BME280_compensate_H_int32: relative humidity in %RH × 1024 (Q22.10), 0..102400. */
export function compensateHumidity(adcH: number, tFine: number, c: BME280Calibration): number {
  let v = (tFine - 76800) | 0;
  const a = (((((adcH << 14) - (c.H4 << 20)) | 0) - Math.imul(c.H5, v) + 16384) | 0) >> 15;
  const i1 = Math.imul(v, c.H6) >> 10;
  const i2 = ((Math.imul(v, c.H3) >> 11) + 32768) | 0;
  const i3 = ((Math.imul(i1, i2) >> 10) + 2097152) | 0;
  const b = ((Math.imul(i3, c.H2) + 8192) | 0) >> 14;
  v = Math.imul(a, b);
  v = (v - ((Math.imul(Math.imul(v >> 15, v >> 15) >> 7, c.H1) >> 4))) | 0;
  v = v < 0 ? 0 : v > 419430400 ? 419430400 : v;
  return v >> 12;
}

/** Section 8.1, the double-precision formulas: °C, Pa, %RH (a cross-check of the integer ones, not used by the driver). */
export function compensateFloat(adcT: number, adcP: number, adcH: number, c: BME280Calibration): { temperature: number; pressure: number; humidity: number } {
  let var1 = (adcT / 16384 - c.T1 / 1024) * c.T2;
  let var2 = (adcT / 131072 - c.T1 / 8192) * (adcT / 131072 - c.T1 / 8192) * c.T3;
  const tFine = Math.trunc(var1 + var2);
  const temperature = (var1 + var2) / 5120;
  var1 = tFine / 2 - 64000;
  var2 = (var1 * var1 * c.P6) / 32768;
  var2 = var2 + var1 * c.P5 * 2;
  var2 = var2 / 4 + c.P4 * 65536;
  var1 = ((c.P3 * var1 * var1) / 524288 + c.P2 * var1) / 524288;
  var1 = (1 + var1 / 32768) * c.P1;
  let pressure = 0;
  if (var1 !== 0) {
    let p = 1048576 - adcP;
    p = ((p - var2 / 4096) * 6250) / var1;
    const v1 = (c.P9 * p * p) / 2147483648;
    const v2 = (p * c.P8) / 32768;
    pressure = p + (v1 + v2 + c.P7) / 16;
  }
  let h = tFine - 76800;
  h = (adcH - (c.H4 * 64 + (c.H5 / 16384) * h)) * ((c.H2 / 65536) * (1 + (c.H6 / 67108864) * h * (1 + (c.H3 / 67108864) * h)));
  h = h * (1 - (c.H1 * h) / 524288);
  return { temperature, pressure, humidity: Math.min(100, Math.max(0, h)) };
}
