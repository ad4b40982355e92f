import { world } from "./world.js";

/** `embedded:io/serial` (ECMA-419, buffer format): bytes through the world; the transmit FIFO always has room. */
export default class Serial {
  #onWritable: ((count: number) => void) | undefined;
  constructor(options: { port: number; transmit: number; receive: number; baud: number; format?: string; onReadable?: (count: number) => void; onWritable?: (count: number) => void }) {
    world.serialOptions = { port: options.port, transmit: options.transmit, receive: options.receive, baud: options.baud, format: options.format };
    world.onReadable = options.onReadable;
    this.#onWritable = options.onWritable;
  }
  read(count?: number): ArrayBuffer {
    const bytes = world.uartIn.splice(0, count ?? world.uartIn.length);
    return Uint8Array.from(bytes).buffer;
  }
  write(data: number | ArrayBufferView | ArrayBuffer): void {
    const bytes = typeof data === "number" ? [data & 0xff] : data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    world.uartOut.push(...bytes);
    const writable = this.#onWritable;
    if (writable) world.timers.push({ id: world.nextTimer++, due: world.now, interval: 0, callback: () => writable(128) });
  }
  close(): void {}
}
