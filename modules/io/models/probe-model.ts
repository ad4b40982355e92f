import { sensirionCrc8 } from "../sensirion-crc.js";
import type { I2CDeviceModel } from "./i2c-bus-model.js";

/** The probe's registers (see ProbeModel). */
export const PROBE_COMMAND = Object.freeze({ measure: 0x01 } as const);
/** Bytes of one probe answer: float64 value, uint32 ms to the next value, CRC-8. */
export const PROBE_FRAME = 13;
/** "No further value" (end of the data) in the next-value field. */
export const PROBE_NO_NEXT = 0xffffffff;
/** "Continuous": no pace of its own, sample it on your interval. */
export const PROBE_CONTINUOUS = 0;

/**
 * What a probe measures: the value now, and when its next value comes: ms
 * (at least 1), "continuous" (no pace of its own) or "end" (no further value).
 */
export interface ProbeSource {
  value(): number;
  next(): number | "continuous" | "end";
}

/** Faults a test or the simulator can inject. */
export interface ProbeFaults {
  /** The chip stops answering (NACK). */
  absent?: boolean;
  /** Flip a bit of the value so its CRC fails. */
  corrupt?: boolean;
}

/**
 * The simulator's probe: a chip that exists only in simulation (the board
 * never has one), for quantities that no modelled chip measures and for CSV
 * replay, where values must arrive exactly as written. I2C protocol: write
 * the measure command (0x01), then read 13 bytes: the value as an IEEE 754
 * float64, big-endian; the ms until its next value as a big-endian uint32
 * (0: continuous, no pace of its own; 0xFFFFFFFF: no further value, the
 * end of a replay); a Sensirion CRC-8 (poly 0x31, init 0xFF) over
 * those 12 bytes. A read without a measure first NACKs.
 */
export class ProbeModel implements I2CDeviceModel {
  readonly faults: ProbeFaults = {};
  #source: ProbeSource;
  #pending: Uint8Array | undefined;

  constructor(source: ProbeSource) {
    this.#source = source;
  }

  write(bytes: Uint8Array): void {
    if (this.faults.absent) throw new Error("NACK");
    if (bytes.length !== 1 || bytes[0] !== PROBE_COMMAND.measure) throw new Error(`NACK: unknown command ${Array.from(bytes, (b) => b.toString(16)).join(" ")}`);
    this.#pending = encodeProbeFrame(this.#source.value(), this.#source.next());
    if (this.faults.corrupt) this.#pending[7] ^= 0x01;
  }

  read(byteLength: number): Uint8Array {
    if (this.faults.absent || !this.#pending) throw new Error("NACK");
    const data = this.#pending.slice(0, byteLength);
    this.#pending = undefined;
    return data;
  }
}

/** One probe answer (see ProbeModel). */
export function encodeProbeFrame(value: number, next: number | "continuous" | "end"): Uint8Array {
  const frame = new Uint8Array(PROBE_FRAME);
  const view = new DataView(frame.buffer);
  view.setFloat64(0, value);
  view.setUint32(8, next === "end" ? PROBE_NO_NEXT : next === "continuous" ? PROBE_CONTINUOUS : Math.min(PROBE_NO_NEXT - 1, Math.max(1, Math.round(next))));
  frame[12] = sensirionCrc8(frame, 0, 12);
  return frame;
}
