import type { ModbusTarget } from "../../config/node-config.js";
import type { TimerHandle, Timers } from "../../platform.js";
import type { ModbusBus } from "./modbus-bus.js";
import type { ModbusRequest } from "./pdu.js";
import { encodeFormat } from "./register-format.js";
import type { ModbusResult } from "./response.js";

/** What a Modbus output reports: the first failure of a run of failed writes, and the write that ends it. */
export interface ModbusOutputEvents {
  failed(detail: string, reason: string): void;
  recovered(detail: string): void;
}

/** How a Modbus output's last write stands. */
export interface ModbusWriteState {
  /** The device acknowledged the value now commanded. */
  confirmed: boolean;
  /** Why the last write failed (`timeout`, `exception_4: ...`), while it keeps failing. */
  fault?: string;
  /** Ms until the next attempt (after a failure, or the next periodic rewrite). */
  retryInMs?: number;
}

/** First wait before writing again after a failed write, ms; doubled per failure up to REWRITE_MAX_MS. */
export const REWRITE_FIRST_MS = 1000;
export const REWRITE_MAX_MS = 30_000;

/**
 * An actuator's coil or holding register on a Modbus device (the `modbus_coil`
 * and `modbus_register` actuator types): `write(value)` sends the value
 * (a coil: function 05, on when value > 0; a register: (value − offset) /
 * scale in its format, function 06 for one register, 16 for two). One write
 * per output is on the bus at a time; a value commanded meanwhile replaces
 * any older one waiting (the latest wins, nothing queues up). A failed write
 * (time-out, exception, refused answer, a full bus queue) is reported once,
 * then the latest value is written again after 1 s, 2 s, 4 s ... up to 30 s
 * until the device takes it, which is reported too. With `rewriteS` > 0 the
 * value taken is written again that often (a device that forgets it on a
 * power cycle gets it back). Never throws into the loop after construction.
 */
export class ModbusOutput {
  #bus: ModbusBus;
  #name: string;
  #target: ModbusTarget;
  #coil: boolean;
  #timers: Timers;
  #now: () => number;
  #events: ModbusOutputEvents;
  #wanted: number | undefined;
  #sent: number | undefined;
  #inFlight = false;
  #confirmed = false;
  #failures = 0;
  #fault: string | undefined;
  #retry: TimerHandle | undefined;
  #retryAt = 0;
  #closed = false;

  /** Throws Error when `target.device` is not a device of `bus` (config checks make that impossible). */
  constructor(bus: ModbusBus, name: string, target: ModbusTarget, coil: boolean, timers: Timers, now: () => number, events: ModbusOutputEvents) {
    if (!bus.devices.has(target.device)) throw new Error(`no Modbus device "${target.device}" on the bus`);
    this.#bus = bus;
    this.#name = name;
    this.#target = target;
    this.#coil = coil;
    this.#timers = timers;
    this.#now = now;
    this.#events = events;
  }

  /** How the last write stands. */
  get state(): ModbusWriteState {
    const state: ModbusWriteState = { confirmed: this.#confirmed };
    if (this.#fault !== undefined) state.fault = this.#fault;
    if (this.#retry !== undefined) state.retryInMs = Math.max(0, this.#retryAt - this.#now());
    return state;
  }

  /** Commands `value`: written now, or as soon as the write on the bus is answered. */
  write(value: number): void {
    if (this.#closed) return;
    this.#wanted = value;
    this.#confirmed = false;
    this.#timers.clear(this.#retry);
    this.#retry = undefined;
    if (!this.#inFlight) this.#send();
  }

  /** Stops writing again; a write on the bus still goes out. */
  close(): void {
    this.#closed = true;
    this.#timers.clear(this.#retry);
    this.#retry = undefined;
  }

  #request(value: number): ModbusRequest {
    const unit = this.#bus.devices.get(this.#target.device)!.address;
    const address = this.#target.register;
    if (this.#coil) return { unit, fn: 5, address, value: value > 0 ? 1 : 0 };
    const words = encodeFormat(this.#target.format, (value - this.#target.offset) / this.#target.scale);
    return words.length === 1 ? { unit, fn: 6, address, value: words[0] } : { unit, fn: 16, address, values: words };
  }

  #send(): void {
    const value = this.#wanted;
    if (value === undefined) return;
    let request: ModbusRequest;
    try {
      request = this.#request(value);
    } catch (error) {
      this.#done(value, { ok: false, reason: "no_io", detail: (error as Error).message });
      return;
    }
    this.#inFlight = true;
    this.#sent = value;
    const timeoutMs = this.#bus.devices.get(this.#target.device)!.timeoutMs;
    try {
      this.#bus.master.submit(request, (result) => this.#done(value, result), timeoutMs);
    } catch (error) {
      this.#done(value, { ok: false, reason: "no_io", detail: (error as Error).message });
    }
  }

  #done(value: number, result: ModbusResult): void {
    this.#inFlight = false;
    if (this.#wanted !== this.#sent && !this.#closed) return this.#send();
    const where = `${this.#name}: ${this.#coil ? "coil" : "register"} ${this.#target.register} of ${this.#target.device}`;
    if (result.ok) {
      this.#confirmed = true;
      const was = this.#fault;
      this.#failures = 0;
      this.#fault = undefined;
      if (was !== undefined) this.#events.recovered(`${where} took ${value} after failed writes (${was})`);
      if (this.#target.rewriteS > 0 && !this.#closed) this.#again(this.#target.rewriteS * 1000);
      return;
    }
    this.#failures++;
    const first = this.#fault === undefined;
    this.#fault = result.reason === result.detail ? result.reason : `${result.reason}: ${result.detail}`;
    if (this.#closed) return;
    const wait = Math.min(REWRITE_MAX_MS, REWRITE_FIRST_MS * 2 ** Math.min(16, this.#failures - 1));
    if (first) this.#events.failed(`${where}: writing ${value} failed (${this.#fault}); writing it again every ${wait / 1000} s and more until the device takes it`, result.reason);
    this.#again(wait);
  }

  /** Writes the latest value again in `ms`. */
  #again(ms: number): void {
    this.#timers.clear(this.#retry);
    this.#retryAt = this.#now() + ms;
    this.#retry = this.#timers.once(() => {
      this.#retry = undefined;
      if (!this.#inFlight) this.#send();
    }, ms);
  }
}
