import type { SPIDeviceModel } from "./spi-bus-model.js";

/** Faults a test or the simulator can inject into the MAX31855 model. */
export interface MAX31855Faults {
  /** Thermocouple open (OC, D0). */
  open?: boolean;
  /** Thermocouple shorted to GND (SCG, D1). */
  shortGnd?: boolean;
  /** Thermocouple shorted to VCC (SCV, D2). */
  shortVcc?: boolean;
  /** MISO stuck: every bit reads this level. */
  stuck?: 0 | 1;
  /** Standard deviation of thermocouple noise, °C. */
  noise?: number;
}

/** Temperatures around the chip, °C. */
export interface ThermocoupleState {
  /** Hot junction (the probe). */
  thermocouple: number;
  /** Cold junction (the chip's own die). */
  internal: number;
}

/**
 * MAX31855 cold-junction-compensated thermocouple-to-digital converter model
 * (Maxim 19-5793): on select it latches one 32-bit frame (datasheet table 2)
 * and shifts it out MSB first; reads beyond 4 bytes give zeros. Frame:
 * D31-D18 thermocouple temperature, 14-bit two's complement, 0.25 °C; D16
 * fault; D15-D4 internal temperature, 12-bit two's complement, 0.0625 °C;
 * D2 SCV, D1 SCG, D0 OC. With a fault, D31-D18 read 0, as the chip's
 * conversion has no valid result.
 */
export class MAX31855Model implements SPIDeviceModel {
  readonly faults: MAX31855Faults = {};
  #state: () => ThermocoupleState;
  #random: () => number;
  #frame = new Uint8Array(4);
  #position = 0;

  constructor(state: () => ThermocoupleState, random: () => number) {
    this.#state = state;
    this.#random = random;
  }

  /** The frame the chip gives for these temperatures and fault bits (D2..D0). */
  static frame(thermocouple: number, internal: number, faultBits = 0): number {
    const tc = faultBits ? 0 : Math.max(-8192, Math.min(8191, Math.round(thermocouple * 4))) & 0x3fff;
    const cj = Math.max(-2048, Math.min(2047, Math.round(internal * 16))) & 0xfff;
    return ((tc << 18) | (faultBits ? 1 << 16 : 0) | (cj << 4) | (faultBits & 7)) >>> 0;
  }

  begin(): void {
    const { thermocouple, internal } = this.#state();
    const noise = this.faults.noise ? this.faults.noise * (this.#random() * 2 - 1) : 0;
    const bits = (this.faults.shortVcc ? 4 : 0) | (this.faults.shortGnd ? 2 : 0) | (this.faults.open ? 1 : 0);
    const word = this.faults.stuck === undefined ? MAX31855Model.frame(thermocouple + noise, internal, bits) : this.faults.stuck ? 0xffffffff : 0;
    new DataView(this.#frame.buffer).setUint32(0, word);
    this.#position = 0;
  }

  exchange(_out: Uint8Array, into: Uint8Array): void {
    for (let i = 0; i < into.length; i++) into[i] = this.#position < 4 ? this.#frame[this.#position++] : this.faults.stuck ? 0xff : 0;
  }

  end(): void {
    this.#position = 4;
  }
}
