import type { RawConfig } from "../config/schema.js";
import { pinClash, pinUses, type PinRole } from "../config/pin-uses.js";
import type { BoardDefinition } from "./board-definition.js";

const list = (pins: readonly number[]) => pins.join(", ");

/** The board's own buses on their GPIOs: what each pin is, and the one role that may use it. */
function busPins(board: BoardDefinition): Map<number, { what: string; role?: PinRole }> {
  const map = new Map<number, { what: string; role?: PinRole }>();
  map.set(board.i2c.sda, { what: "the I2C bus's SDA" });
  map.set(board.i2c.scl, { what: "the I2C bus's SCL" });
  map.set(board.spi.sck, { what: "the SPI bus's SCK", role: "spi.sck" });
  map.set(board.spi.miso, { what: "the SPI bus's MISO", role: "spi.miso" });
  map.set(board.spi.mosi, { what: "the SPI bus's MOSI" });
  map.set(board.rs485.tx, { what: `the RS-485 UART${board.rs485.uart}'s TX` });
  map.set(board.rs485.rx, { what: `the RS-485 UART${board.rs485.uart}'s RX` });
  map.set(board.rs485.de, { what: "the RS-485 transceiver's DE" });
  return map;
}

/** Why `pin` cannot serve `role` on `board`, or undefined when it can. */
function refusal(board: BoardDefinition, pin: number, role: PinRole): string | undefined {
  const reserved = board.reserved[pin];
  if (reserved !== undefined) return `GPIO ${pin} is ${reserved} on ${board.name}`;
  const bus = busPins(board).get(pin);
  if (bus !== undefined && bus.role !== role) return `GPIO ${pin} is ${bus.what} on ${board.name}`;
  switch (role) {
    case "analog":
      return board.analog.includes(pin) ? undefined : `GPIO ${pin} has no ADC usable with Wi-Fi on ${board.name}; analog pins: ${list(board.analog)}`;
    case "input":
    case "spi.miso":
      return board.inputs.includes(pin) ? undefined : `GPIO ${pin} is not a usable input on ${board.name}; inputs: ${list(board.inputs)}`;
    case "output":
    case "spi.sck":
      return board.outputs.includes(pin) ? undefined : `GPIO ${pin} cannot drive an output on ${board.name}; outputs: ${list(board.outputs)}`;
    case "pwm":
      return board.pwm.includes(pin) ? undefined : `GPIO ${pin} has no PWM output on ${board.name}; PWM pins: ${list(board.pwm)}`;
    default:
      return board.inputs.includes(pin) || board.outputs.includes(pin) ? undefined : `GPIO ${pin} is not brought out on ${board.name}`;
  }
}

/**
 * The `save` rule of the board's pin map: every pin a technician sets
 * (`ch.<name>.pin` and the other pin fields of a channel's type,
 * `act.<name>.pin`, `act.<name>.feedback_pin`) must exist on `board`, not
 * be reserved (flash, PSRAM, console, USB, the strapping pins that decide
 * whether it boots), not be a pin of the board's I2C, SPI or RS-485 bus
 * (a MAX31855's `sck`/`miso` may be the SPI bus's), and serve its role: an
 * analog channel needs an ADC1 pin, an input a GPIO that reads, a relay or
 * chip select one that drives, a pwm actuator one with PWM. Pushes one
 * message per bad pin, naming the key. (A pin used twice is the schema's
 * rule, config/pin-uses.ts.)
 */
export function checkBoardPins(raw: RawConfig, board: BoardDefinition, problems: string[]): void {
  for (const use of pinUses(raw)) {
    const why = refusal(board, use.pin, use.role);
    if (why !== undefined) problems.push(`${use.key}: ${why}`);
  }
}

/**
 * The `set` rule of the board's pin map, for the one key staged: why the
 * pin `key` sets in `raw` (the pending config with the new value) breaks
 * the board's map, or is already another key's (not the same chip's), or
 * undefined when it is fine or `key` is not a pin. Other keys' problems wait
 * for `save`.
 */
export function pinKeyProblem(key: string, raw: RawConfig, board: BoardDefinition): string | undefined {
  const uses = pinUses(raw);
  const use = uses.find((u) => u.key === key);
  if (use === undefined) return undefined;
  const why = refusal(board, use.pin, use.role);
  if (why !== undefined) return `${key}: ${why}`;
  const other = pinClash(use, uses);
  return other === undefined ? undefined : `${key}: GPIO ${use.pin} is already ${other.key}'s`;
}
