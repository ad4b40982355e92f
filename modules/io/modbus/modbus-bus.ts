import type { Clock, DigitalIO, IOProvider, SerialIO, TimerHandle, Timers } from "../../platform.js";
import type { Measurement } from "../sensor-type.js";
import { hexBytes } from "./hex.js";
import { ModbusMaster } from "./master.js";
import type { ReadFunction } from "./pdu.js";
import { planReads, valuesOf, type ReadPoint } from "./read-plan.js";
import { decodeFormat, registersOf, type RegisterFormat } from "./register-format.js";

/** One device `mb.<dev>` as the running firmware sees it (config/resolve.ts). */
export interface ModbusDeviceConfig {
  name: string;
  address: number;
  baud: number;
  parity: "none" | "even" | "odd";
  stopBits: 1 | 2;
  pollMs: number;
  timeoutMs: number;
}

/** A watched register or bit: its latest poll as a Measurement. */
export interface ModbusPoint {
  /** Good with the value of the latest good poll; bad with the reason of a failed one (the old value is gone); bad `stale` when polls stopped. */
  measurement(): Measurement;
  close(): void;
}

interface Watched extends ReadPoint {
  format: RegisterFormat | "bit";
  state: Measurement;
  at: number;
}

/** Options of ModbusBus. */
export interface ModbusBusOptions {
  io: IOProvider;
  timers: Timers;
  clock: Clock;
  devices: readonly ModbusDeviceConfig[];
  /** GPIO of the RS-485 driver enable (DE and /RE); default the board's `io.rs485Direction`. */
  directionPin?: number;
  /** UART port and pins, from the board definition. */
  port?: number;
  receive?: number;
  transmit?: number;
  /** Debug log of raw frames (hex). */
  log?: (line: string) => void;
}

/**
 * The node's RS-485 port with its Modbus devices: opens the ECMA-419 Serial
 * (line settings of the first device: every device on one port shares
 * them, config/check-modbus.ts), runs the master, and polls each device
 * every `poll` ms, merging the reads of its watched points (read-plan.ts).
 * Throws at construction when the host has no Serial (a board without the
 * port): the channels report `no_io`.
 */
export class ModbusBus {
  readonly master: ModbusMaster;
  readonly devices: ReadonlyMap<string, ModbusDeviceConfig>;
  #serial: SerialIO;
  #direction: DigitalIO | undefined;
  #points = new Map<string, Set<Watched>>();
  #outstanding = new Map<string, number>();
  #timers: TimerHandle[] = [];
  #o: ModbusBusOptions;

  constructor(options: ModbusBusOptions) {
    this.#o = options;
    const Serial = options.io.Serial;
    if (!Serial) throw new Error("modbus: this host has no serial port");
    const line = options.devices[0] ?? { baud: 9600, parity: "even", stopBits: 1 };
    this.devices = new Map(options.devices.map((d) => [d.name, d]));
    let master: ModbusMaster | undefined;
    this.#serial = new Serial({ baud: line.baud, parity: line.parity, stopBits: line.stopBits, port: options.port, receive: options.receive, transmit: options.transmit, onReadable: () => master?.onReadable() });
    const directionPin = options.directionPin ?? options.io.rs485Direction;
    this.#direction = directionPin === undefined ? undefined : new options.io.Digital({ pin: directionPin, mode: "output" });
    master = this.master = new ModbusMaster({
      serial: this.#serial, timers: options.timers, clock: options.clock, baud: line.baud, direction: this.#direction,
      timeoutMs: Math.max(...options.devices.map((d) => d.timeoutMs), 10),
      latencyMs: this.#serial.latencyMs ?? 2,
      onFrame: options.log ? (dir, frame) => options.log!(`modbus ${dir} ${hexBytes(frame)}`) : undefined,
    });
    for (const device of options.devices) this.#timers.push(options.timers.repeat(() => this.#poll(device), device.pollMs));
  }

  /** Watches `register` of `device` with function `fn` (bits: 1, 2) in `format`. Unknown device: always bad `no_io`. */
  watch(device: string, fn: ReadFunction, register: number, format: RegisterFormat): ModbusPoint {
    const config = this.devices.get(device);
    if (!config) return { measurement: () => ({ quality: "bad", reason: "no_io" }), close() {} };
    const bits = fn === 1 || fn === 2;
    const point: Watched = { unit: config.address, fn, address: register, count: bits ? 1 : registersOf(format), format: bits ? "bit" : format, state: { quality: "bad", reason: "not_ready" }, at: this.#o.clock.monotonic() };
    let set = this.#points.get(device);
    if (!set) this.#points.set(device, (set = new Set()));
    set.add(point);
    const staleAfter = 3 * config.pollMs + 2 * config.timeoutMs;
    return {
      measurement: () => (point.state.quality === "good" && this.#o.clock.monotonic() - point.at > staleAfter ? { quality: "bad", reason: "stale" } : point.state),
      close: () => void set!.delete(point),
    };
  }

  #poll(device: ModbusDeviceConfig): void {
    const points = [...(this.#points.get(device.name) ?? [])];
    // A device whose last poll is still queued is not asked again (the queue stays bounded by the devices' reads).
    if (points.length === 0 || (this.#outstanding.get(device.name) ?? 0) > 0) return;
    for (const plan of planReads(points)) {
      this.#outstanding.set(device.name, (this.#outstanding.get(device.name) ?? 0) + 1);
      this.master.submit(plan.request, (result) => {
        this.#outstanding.set(device.name, (this.#outstanding.get(device.name) ?? 1) - 1);
        const at = this.#o.clock.monotonic();
        for (const i of plan.members) {
          const point = points[i];
          point.at = at;
          if (!result.ok) point.state = { quality: "bad", reason: result.reason };
          else {
            const words = valuesOf(plan, point, result.values);
            point.state = { quality: "good", value: point.format === "bit" ? words[0] : decodeFormat(point.format, words) };
          }
        }
      }, device.timeoutMs);
    }
  }

  /** Stops polling, fails what waits, releases DE and closes the port. Never throws. */
  close(): void {
    for (const t of this.#timers) this.#o.timers.clear(t);
    this.master.close();
    try {
      this.#serial.close();
      this.#direction?.close();
    } catch {
      // closing is best effort
    }
  }
}

/** Made at run time: a WeakMap made while preloading is in flash and read-only on the board. */
let BUSES: WeakMap<IOProvider, ModbusBus> | undefined;

/** Makes `bus` the RS-485 bus of the board whose IO is `io` (node.ts, at boot). */
export function attachModbusBus(io: IOProvider, bus: ModbusBus): void {
  (BUSES ??= new WeakMap()).set(io, bus);
}

/** The board's Modbus bus, if one was attached. */
export function modbusBusOf(io: IOProvider): ModbusBus | undefined {
  return BUSES?.get(io);
}
