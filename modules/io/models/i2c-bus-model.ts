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

  /** Buses opened and closed through `ioClass()` so far (a driver that leaks a bus shows here). */
  readonly handles = { opened: 0, closed: 0 };

  /** An ECMA-419-shaped I2C constructor bound to this bus. */
  ioClass(): new (options: I2COptions) => I2CBus {
    const devices = this.#devices;
    const handles = this.handles;
    return class ModelI2C implements I2CBus {
      #address: number;
      #open = true;

      constructor(options: I2COptions) {
        if (!Number.isInteger(options.address)) throw new TypeError(`I2C address must be an integer, got ${options.address}`);
        this.#address = options.address;
        handles.opened++;
      }

      write(buffer: ArrayBufferView | ArrayBuffer, _stop?: boolean): void {
        const bytes = ArrayBuffer.isView(buffer)
          ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
          : new Uint8Array(buffer);
        this.#device().write(bytes.slice());
      }

      read(byteLength: number, stop?: boolean): ArrayBuffer;
      read(buffer: Uint8Array, stop?: boolean): undefined;
      read(target: number | Uint8Array, _stop?: boolean): ArrayBuffer | undefined {
        if (typeof target !== "number") {
          target.set(this.#device().read(target.byteLength).subarray(0, target.byteLength));
          return undefined;
        }
        const bytes = this.#device().read(target);
        return bytes.slice().buffer;
      }

      close(): void {
        if (this.#open) handles.closed++;
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
