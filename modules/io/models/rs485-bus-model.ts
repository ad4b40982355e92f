import type { SerialIO, SerialOptions, Timers } from "../../platform.js";
import { frameUs, rtuTiming } from "../modbus/rtu-timing.js";
import type { ModbusSlaveModel } from "./modbus-slave-model.js";

/**
 * A simulated RS-485 bus with Modbus slaves on it, behind an ECMA-419
 * Serial: each `write` is one frame; every slave hears it after its time on
 * the wire, and the addressed one's answer arrives after its own time on the
 * wire, the slave's turnaround and any `slowMs` fault, through `onReadable`.
 * Timing follows the port's baud rate (11-bit characters), on the given
 * timers, so virtual time works. A port opened at another baud rate than
 * the bus's hears nothing, as on a real line.
 */
export class RS485BusModel {
  readonly slaves: ModbusSlaveModel[] = [];
  /** Frames written to the bus (requests), for tests. */
  frames = 0;
  constructor(
    readonly timers: Timers,
    readonly baud = 9600,
    /** A slave's turnaround between the request's end and its answer, ms. */
    readonly turnaroundMs = 2,
  ) {}

  /** Puts `slave` on the bus. */
  attach(slave: ModbusSlaveModel): ModbusSlaveModel {
    this.slaves.push(slave);
    return slave;
  }

  /** An ECMA-419 Serial class bound to this bus. */
  serialClass(): new (options: SerialOptions) => SerialIO {
    const bus = this;
    return class SimulatedSerial implements SerialIO {
      #pending: Uint8Array[] = [];
      #open = true;
      #options: SerialOptions;
      constructor(options: SerialOptions) {
        this.#options = options;
      }
      read(): ArrayBuffer | undefined {
        const chunk = this.#pending.shift();
        return chunk ? (chunk.slice().buffer as ArrayBuffer) : undefined;
      }
      write(buffer: ArrayBufferView | ArrayBuffer): void {
        if (!this.#open) throw new Error("serial: closed");
        const frame = (buffer instanceof ArrayBuffer ? new Uint8Array(buffer) : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)).slice();
        bus.frames++;
        if (this.#options.baud !== bus.baud) return;
        const timing = rtuTiming(bus.baud);
        const heardAt = Math.ceil(frameUs(timing, frame.length) / 1000);
        for (const slave of bus.slaves) {
          const answer = slave.answer(frame);
          if (!answer) continue;
          const delay = heardAt + bus.turnaroundMs + (slave.faults.slowMs ?? 0) + Math.ceil(frameUs(timing, answer.length) / 1000);
          bus.timers.once(() => {
            if (!this.#open) return;
            this.#pending.push(answer);
            this.#options.onReadable?.(answer.length);
          }, delay);
        }
      }
      close(): void {
        this.#open = false;
      }
    };
  }
}
