/// <reference path="./moddable-extras.d.ts" />
import type { BoardDefinition } from "../../modules/boards/board-definition.js";
import type { SerialIO, SerialOptions } from "../../modules/platform.js";

/** The RS-485 UART's pins, from the board definition (`fieldnode.rs485_*` in mc/config, else `device.Serial.default`). */
export interface Rs485Pins {
  port?: number;
  receive?: number;
  transmit?: number;
}

/**
 * The RS-485 pins: the board definition's (modules/boards: UART, TX, RX, DE)
 * overlaid by the build's `fieldnode.rs485_*` values that are set.
 */
export function rs485Pins(
  board: { uart: number; tx: number; rx: number; de: number } | undefined,
  build: Rs485Pins & { direction?: number },
): Rs485Pins & { direction?: number } {
  const pins: Rs485Pins & { direction?: number } = board ? { port: board.uart, receive: board.rx, transmit: board.tx, direction: board.de } : {};
  for (const [key, value] of Object.entries(build)) if (value !== undefined) (pins as Record<string, number>)[key] = value;
  return pins;
}

/**
 * The port's Serial on the SDK's ECMA-419 Serial (`embedded:io/serial`):
 * binary (`format: "buffer"`), the board's UART and pins unless the caller
 * names them, `onReadable` passed through. Parity and stop bits are passed
 * as `parity`/`stopBits` options; whether the SDK's ESP32 serial applies
 * them is not verified here (8N1 is its documented default).
 */
export function rs485SerialClass(Native: NonNullable<ModdableIOClasses["Serial"]>, pins: Rs485Pins): new (options: SerialOptions) => SerialIO {
  return class Rs485Serial implements SerialIO {
    readonly #port: ModdableSerial;
    constructor(options: SerialOptions) {
      this.#port = new Native({
        baud: options.baud,
        port: options.port ?? pins.port,
        receive: options.receive ?? pins.receive,
        transmit: options.transmit ?? pins.transmit,
        format: "buffer",
        parity: options.parity ?? "none",
        stopBits: options.stopBits ?? 1,
        onReadable: options.onReadable,
      });
    }
    read(): ArrayBuffer | undefined {
      return this.#port.read();
    }
    write(buffer: ArrayBufferView | ArrayBuffer): void {
      this.#port.write(buffer);
    }
    close(): void {
      this.#port.close();
    }
  };
}

/**
 * The board definition as this build wires it: its RS-485 UART and pins
 * replaced by `pins` (rs485Pins: the build's `fieldnode.rs485_*` values
 * over the definition's), so that `set`/`save` check pins against the
 * RS-485 pins the board really uses. A pin `pins` lacks keeps the definition's.
 */
export function withRs485Pins(board: BoardDefinition, pins: Rs485Pins & { direction?: number }): BoardDefinition {
  const { uart, tx, rx, de } = board.rs485;
  return Object.freeze({ ...board, rs485: Object.freeze({ uart: pins.port ?? uart, tx: pins.transmit ?? tx, rx: pins.receive ?? rx, de: pins.direction ?? de }) });
}
