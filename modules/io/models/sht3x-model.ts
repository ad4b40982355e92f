import { sensirionCrc8 } from "../sensirion-crc.js";
import type { I2CDeviceModel } from "./i2c-bus-model.js";

/** What the simulated environment around the chip is, right now. */
export interface Climate {
  temperature: number;
  humidity: number;
}

/** Faults a test or a technician can inject into the model. */
export interface SHT3xFaults {
  /** The chip stops answering (NACK on every transaction). */
  absent?: boolean;
  /** Flip a bit in the temperature word so its CRC fails. */
  corruptTemperature?: boolean;
}

/**
 * SHT3x chip model: answers soft reset, periodic mode, fetch data and break
 * like the datasheet says, with real CRC bytes, so the driver's parsing and
 * CRC checks are exercised. Fetch before periodic mode was started NACKs.
 */
export class SHT3xModel implements I2CDeviceModel {
  readonly faults: SHT3xFaults = {};
  #climate: () => Climate;
  #periodic = false;
  #pending: Uint8Array | undefined;

  constructor(climate: () => Climate) {
    this.#climate = climate;
  }

  /** The chip lost power and came back: idle, out of periodic mode, as after power-on. */
  powerCycle(): void {
    this.#periodic = false;
    this.#pending = undefined;
  }

  write(bytes: Uint8Array): void {
    if (this.faults.absent) throw new Error("NACK");
    if (bytes.length !== 2) throw new Error("NACK: command must be 2 bytes");
    const command = (bytes[0] << 8) | bytes[1];
    switch (command) {
      case 0x30a2: // soft reset
      case 0x3093: // break
        this.#periodic = false;
        this.#pending = undefined;
        return;
      case 0x2130: // periodic, 1 mps, high repeatability
        this.#periodic = true;
        return;
      case 0xe000: // fetch data
        if (!this.#periodic) throw new Error("NACK: not in periodic mode");
        this.#pending = this.#measure();
        return;
      default:
        throw new Error(`NACK: unknown command 0x${command.toString(16)}`);
    }
  }

  read(byteLength: number): Uint8Array {
    if (this.faults.absent || !this.#pending) throw new Error("NACK");
    const data = this.#pending.slice(0, byteLength);
    this.#pending = undefined;
    return data;
  }

  #measure(): Uint8Array {
    const { temperature, humidity } = this.#climate();
    const rawT = Math.round(((Math.min(130, Math.max(-45, temperature)) + 45) * 65535) / 175);
    const rawH = Math.round((Math.min(100, Math.max(0, humidity)) * 65535) / 100);
    const data = new Uint8Array([rawT >> 8, rawT & 0xff, 0, rawH >> 8, rawH & 0xff, 0]);
    data[2] = sensirionCrc8(data, 0, 2);
    data[5] = sensirionCrc8(data, 3, 2);
    if (this.faults.corruptTemperature) data[1] ^= 0x01;
    return data;
  }
}
