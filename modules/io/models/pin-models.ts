import type { AnalogIO, AnalogOptions, DigitalIO, DigitalOptions, PWMIO, PWMOptions } from "../../platform.js";

/**
 * Simulated GPIO, ADC and PWM pins with the ECMA-419 shapes. A `PinBoard`
 * holds the electrical state the simulator (or a test) sets and observes:
 * input levels, ADC voltages as raw counts, output levels and PWM duty.
 */
export class PinBoard {
  readonly levels = new Map<number, number>();
  /** Input levels that change with time (a pulse train, a contact model); they win over `levels`. */
  readonly inputs = new Map<number, () => number>();
  readonly analog = new Map<number, () => number>();
  readonly duty = new Map<number, number>();
  readonly #claimed = new Set<number>();

  /** Marks a pin used; a second open of the same pin is an error, as on hardware. */
  claim(pin: number): void {
    if (!Number.isInteger(pin) || pin < 0 || pin > 48) throw new RangeError(`pin must be 0..48, got ${pin}`);
    if (this.#claimed.has(pin)) throw new Error(`pin ${pin} already in use`);
    this.#claimed.add(pin);
  }

  release(pin: number): void {
    this.#claimed.delete(pin);
  }

  /** ECMA-419 Digital bound to this board. */
  digitalClass(): new (options: DigitalOptions) => DigitalIO {
    const board = this;
    return class ModelDigital implements DigitalIO {
      #pin: number;
      #closed = false;
      #output: boolean;
      constructor(options: DigitalOptions) {
        board.claim(options.pin);
        this.#pin = options.pin;
        this.#output = options.mode === "output";
        if (!board.levels.has(options.pin)) board.levels.set(options.pin, options.mode === "inputPullUp" ? 1 : 0);
      }
      read(): number {
        const input = board.inputs.get(this.#pin);
        return input ? (input() ? 1 : 0) : (board.levels.get(this.#pin) ?? 0);
      }
      write(value: number): void {
        if (!this.#output) throw new Error(`pin ${this.#pin} is an input`);
        board.levels.set(this.#pin, value ? 1 : 0);
      }
      close(): void {
        // A second close must not release the pin of whoever opened it since.
        if (this.#closed) return;
        this.#closed = true;
        board.release(this.#pin);
      }
    };
  }

  /** ECMA-419 Analog bound to this board (raw counts at `resolution` bits). */
  analogClass(): new (options: AnalogOptions) => AnalogIO {
    const board = this;
    return class ModelAnalog implements AnalogIO {
      readonly resolution: number;
      #pin: number;
      #closed = false;
      constructor(options: AnalogOptions) {
        board.claim(options.pin);
        this.#pin = options.pin;
        this.resolution = options.resolution ?? 12;
      }
      read(): number {
        const max = 2 ** this.resolution - 1;
        const source = board.analog.get(this.#pin);
        return Math.max(0, Math.min(max, Math.round(source ? source() : 0)));
      }
      close(): void {
        // A second close must not release the pin of whoever opened it since.
        if (this.#closed) return;
        this.#closed = true;
        board.release(this.#pin);
      }
    };
  }

  /** ECMA-419 PWM bound to this board. */
  pwmClass(): new (options: PWMOptions) => PWMIO {
    const board = this;
    return class ModelPWM implements PWMIO {
      readonly resolution: number;
      #pin: number;
      #closed = false;
      constructor(options: PWMOptions) {
        board.claim(options.pin);
        this.#pin = options.pin;
        this.resolution = options.resolution ?? 10;
      }
      write(value: number): void {
        const max = 2 ** this.resolution - 1;
        if (!Number.isInteger(value) || value < 0 || value > max) throw new RangeError(`PWM value must be 0..${max}, got ${value}`);
        board.duty.set(this.#pin, value);
      }
      close(): void {
        // A second close must not release the pin of whoever opened it since.
        if (this.#closed) return;
        this.#closed = true;
        board.release(this.#pin);
      }
    };
  }
}
