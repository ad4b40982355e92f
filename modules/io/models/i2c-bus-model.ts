import type { I2CBus, I2COptions } from "../../platform.js";

/** A simulated chip as seen from the bus: it takes written bytes and answers reads. */
export interface I2CDeviceModel {
  /** Throws to NACK. */
  write(bytes: Uint8Array): void;
  /** Throws to NACK. */
  read(byteLength: number): Uint8Array;
}

/**
 * A simulated I2C bus: chip models registered by address answer real I2C
 * transactions, so drivers run unchanged against them. Portable (no Node),
 * so the simulator and Moddable's mcsim use the same models.
 */
export class I2CBusModel {
  #devices = new Map<number, I2CDeviceModel>();

  /** Places a chip at `address` (7-bit); replaces one already there. */
  attach(address: number, device: I2CDeviceModel): void {
    if (!Number.isInteger(address) || address < 0x08 || address > 0x77)
      throw new RangeError(`I2C address must be 0x08..0x77, got ${address}`);
    this.#devices.set(address, device);
  }

  detach(address: number): void {
    this.#devices.delete(address);
  }

  /** An ECMA-419-shaped I2C constructor bound to this bus. */
  ioClass(): new (options: I2COptions) => I2CBus {
    const devices = this.#devices;
    return class ModelI2C implements I2CBus {
      #address: number;
      #open = true;

      constructor(options: I2COptions) {
        if (!Number.isInteger(options.address)) throw new TypeError(`I2C address must be an integer, got ${options.address}`);
        this.#address = options.address;
      }

      write(buffer: ArrayBufferView | ArrayBuffer, _stop?: boolean): void {
        const bytes = ArrayBuffer.isView(buffer)
          ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
          : new Uint8Array(buffer);
        this.#device().write(bytes.slice());
      }

      read(byteLength: number, _stop?: boolean): ArrayBuffer {
        const bytes = this.#device().read(byteLength);
        return bytes.slice().buffer;
      }

      close(): void {
        this.#open = false;
      }

      #device(): I2CDeviceModel {
        if (!this.#open) throw new Error("I2C closed");
        const device = devices.get(this.#address);
        if (!device) throw new Error(`NACK at address 0x${this.#address.toString(16)}`);
        return device;
      }
    };
  }
}
