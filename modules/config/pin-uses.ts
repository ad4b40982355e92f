/**
 * The GPIOs a config sets, and the schema's rule that one pin serves one
 * thing: channel pin fields, actuator outputs and their feedback inputs.
 * The board's pin map (modules/boards/board-pins.ts) checks the same uses
 * against a board at `set` and `save`.
 */
import { sensorType } from "../io/sensor-registry.js";
import type { RawConfig } from "./schema.js";

/** What a pin field needs from its GPIO; `spi.*` are the lines of the board's SPI bus (a MAX31855 shares them). */
export type PinRole = "analog" | "input" | "output" | "pwm" | "gpio" | "spi.sck" | "spi.miso";

/** One pin a technician sets: its key, GPIO, role, and the chip it belongs to. */
export interface PinUse {
  readonly key: string;
  readonly pin: number;
  readonly role: PinRole;
  /** Uses with the same `chip` share a GPIO (channels of one chip, the chips of one SPI bus); undefined: the pin is this key's alone. */
  readonly chip?: string;
}

/**
 * The role of each sensor-type pin field (`ch.<name>.<field>` of that
 * type); another field the type lists in `pins`, or `pin`, needs a usable
 * GPIO only. Actuator pins (`act.<name>.pin`) are outputs, with PWM for a
 * pwm actuator, and `act.<name>.feedback_pin` is an input.
 */
const CHANNEL_PIN_ROLES: Readonly<Record<string, Readonly<Record<string, PinRole>>>> = Object.freeze({
  analog: { pin: "analog" },
  digital: { pin: "input" },
  pulse: { pin: "input" },
  max31855: { select: "output", sck: "spi.sck", miso: "spi.miso" },
});

/**
 * Every pin `raw` sets, sorted by key: channel pin fields (with the chip
 * they belong to, as the type's `chip` fields name it), actuator outputs
 * and feedback inputs. Values that are not numbers are left out (the
 * schema refuses them).
 */
export function pinUses(raw: RawConfig): PinUse[] {
  const uses: PinUse[] = [];
  for (const [key, value] of raw) {
    if (typeof value !== "number") continue;
    const parts = key.split(".");
    if (parts.length !== 3) continue;
    const [group, name, field] = parts;
    if (group === "act") {
      if (field === "pin") uses.push({ key, pin: value, role: raw.get(`act.${name}.type`) === "pwm" ? "pwm" : "output" });
      else if (field === "feedback_pin") uses.push({ key, pin: value, role: "input" });
    } else if (group === "ch") {
      const typeName = String(raw.get(`ch.${name}.type`));
      const type = sensorType(typeName);
      const role = CHANNEL_PIN_ROLES[typeName]?.[field] ?? (field === "pin" || type?.pins?.includes(field) ? "gpio" : undefined);
      if (role === undefined) continue;
      // The SPI lines are the bus's, shared by every chip on it; the other pins are one chip's.
      const chip = role === "spi.sck" || role === "spi.miso" ? role : `${typeName}@${(type?.chip ?? []).map((f) => String(raw.get(`ch.${name}.${f}`))).join(",")}`;
      uses.push({ key, pin: value, role, chip });
    }
  }
  return uses.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The use in `uses` other than `use` that holds its GPIO and may not share it, or undefined. */
export function pinClash(use: PinUse, uses: readonly PinUse[]): PinUse | undefined {
  return uses.find((u) => u.key !== use.key && u.pin === use.pin && (u.chip === undefined || u.chip !== use.chip));
}

/**
 * The save rule that one GPIO serves one thing: for each pin set by keys
 * that may not share it (only channels of one chip, or the SPI lines of
 * the chips on one bus, may), pushes `"<key> and <key> both use pin <n>"`
 * (`"<key>, <key> and <key> all use pin <n>"` for more), naming every key
 * on that pin, last key first.
 */
export function checkPinSharing(raw: RawConfig, problems: string[]): void {
  const byPin = new Map<number, PinUse[]>();
  for (const use of pinUses(raw)) byPin.set(use.pin, [...(byPin.get(use.pin) ?? []), use]);
  for (const [pin, uses] of byPin) {
    if (!uses.some((use) => pinClash(use, uses) !== undefined)) continue;
    const keys = uses.map((use) => use.key).reverse();
    problems.push(keys.length === 2 ? `${keys[0]} and ${keys[1]} both use pin ${pin}` : `${keys.slice(0, -1).join(", ")} and ${keys[keys.length - 1]} all use pin ${pin}`);
  }
}
