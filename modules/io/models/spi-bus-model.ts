import type { SPIBus, SPIOptions } from "../../platform.js";

/** A simulated SPI chip as seen from the bus, one transaction per select. */
export interface SPIDeviceModel {
  /** Select went active: the chip latches what it will shift out. */
  begin(): void;
  /** Clocks `out.length` bytes: `into` receives MISO while `out` is sent on MOSI. */
  exchange(out: Uint8Array, into: Uint8Array): void;
  /** Select went inactive. */
  end(): void;
}

/**
 * A simulated SPI bus: chip models registered by their select pin answer
 * ECMA-419 SPI transactions (read/write assert select, `flush(true)` releases
 * it), so drivers run unchanged against them. With no chip behind a select
 * pin, MISO floats high and every byte reads 0xFF, as on a board with the
 * usual pull-up.
 */
export class SPIBusModel {
  #devices = new Map<number, SPIDeviceModel>();
  #open = new Set<number>();

  /** Places a chip on select pin `select`; replaces one already there. */
  attach(select: number, device: SPIDeviceModel): void {
    if (!Number.isInteger(select) || select < 0 || select > 48) throw new RangeError(`SPI select pin must be 0..48, got ${select}`);
    this.#devices.set(select, device);
  }

  detach(select: number): void {
    this.#devices.delete(select);
  }

  /** An ECMA-419-shaped SPI constructor bound to this bus; a select pin opened twice throws, as on hardware. */
  ioClass(): new (options: SPIOptions) => SPIBus {
    const devices = this.#devices;
    const open = this.#open;
    return class ModelSPI implements SPIBus {
      #select: number;
      #active = false;
      #closed = false;
      #zeros = new Uint8Array(0);

      constructor(options: SPIOptions) {
        if (!Number.isInteger(options.select)) throw new TypeError(`SPI select must be a pin number, got ${options.select}`);
        if (!(options.hz > 0)) throw new RangeError(`SPI hz must be positive, got ${options.hz}`);
        if (open.has(options.select!)) throw new Error(`pin ${options.select} already in use`);
        open.add(options.select!);
        this.#select = options.select!;
      }

      read(buffer: ArrayBufferView): void {
        const into = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
        if (this.#zeros.length < into.length) this.#zeros = new Uint8Array(into.length);
        this.#exchange(this.#zeros.subarray(0, into.length), into);
      }

      write(buffer: ArrayBufferView): void {
        const out = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
        this.#exchange(out, new Uint8Array(out.length));
      }

      flush(deselect?: boolean): void {
        if (this.#closed) throw new Error("SPI closed");
        if (!deselect || !this.#active) return;
        this.#active = false;
        devices.get(this.#select)?.end();
      }

      close(): void {
        if (this.#closed) return;
        if (this.#active) devices.get(this.#select)?.end();
        this.#closed = true;
        open.delete(this.#select);
      }

      #exchange(out: Uint8Array, into: Uint8Array): void {
        if (this.#closed) throw new Error("SPI closed");
        const device = devices.get(this.#select);
        if (!this.#active) {
          this.#active = true;
          device?.begin();
        }
        if (device) device.exchange(out, into);
        else into.fill(0xff);
      }
    };
  }
}
