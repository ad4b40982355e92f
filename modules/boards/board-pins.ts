import type { RawConfig } from "../config/schema.js";
import type { BoardDefinition } from "./board-definition.js";

/** What a pin field needs from its GPIO. */
type PinRole = "analog" | "input" | "output";

/**
 * The role of each sensor-type pin field (`ch.<name>.<field>` of that
 * type); a pin field not listed needs a usable GPIO only. Actuator pins
 * (`act.<name>.pin`) are outputs, with PWM for a pwm actuator.
 */
const CHANNEL_PIN_ROLES: Readonly<Record<string, Readonly<Record<string, PinRole>>>> = Object.freeze({
  analog: { pin: "analog" },
  digital: { pin: "input" },
  pulse: { pin: "input" },
  max31855: { select: "output", sck: "output", miso: "input" },
});

const list = (pins: readonly number[]) => pins.join(", ");

/** Why `pin` cannot serve `role` on `board`, or undefined when it can. */
function refusal(board: BoardDefinition, pin: number, role: PinRole | "pwm" | "gpio"): string | undefined {
  const reserved = board.reserved[pin];
  if (reserved !== undefined) return `GPIO ${pin} is ${reserved} on ${board.name}`;
  switch (role) {
    case "analog":
      return board.analog.includes(pin) ? undefined : `GPIO ${pin} has no ADC usable with Wi-Fi on ${board.name}; analog pins: ${list(board.analog)}`;
    case "input":
      return board.inputs.includes(pin) ? undefined : `GPIO ${pin} is not a usable input on ${board.name}; inputs: ${list(board.inputs)}`;
    case "output":
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
 * `act.<name>.pin`) must exist on `board`, not be reserved (flash, console,
 * USB), and serve its role: an analog channel needs an ADC1 pin, an input a
 * GPIO that reads, a relay or chip select one that drives, a pwm actuator
 * one with PWM. Pushes one message per bad pin, naming the key.
 */
export function checkBoardPins(raw: RawConfig, board: BoardDefinition, problems: string[]): void {
  for (const [key, value] of raw) {
    if (typeof value !== "number") continue;
    const parts = key.split(".");
    if (parts.length !== 3) continue;
    const [group, name, field] = parts;
    let role: PinRole | "pwm" | "gpio" | undefined;
    if (group === "act" && field === "pin") role = raw.get(`act.${name}.type`) === "pwm" ? "pwm" : "output";
    else if (group === "ch") {
      const type = String(raw.get(`ch.${name}.type`));
      role = CHANNEL_PIN_ROLES[type]?.[field] ?? (field === "pin" ? "gpio" : undefined);
    }
    if (role === undefined) continue;
    const why = refusal(board, value, role);
    if (why !== undefined) problems.push(`${key}: ${why}`);
  }
}
