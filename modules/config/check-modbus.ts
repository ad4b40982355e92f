import { MODBUS_DEVICE_FIELDS } from "./modbus-fields.js";
import { GROUP_MAX, groupNames, type RawConfig, type Value } from "./schema.js";
import { registersOf, type RegisterFormat } from "../io/modbus/register-format.js";

/**
 * The Modbus rules across keys, at save (config/validate.ts): at most
 * GROUP_MAX devices; every device on the one RS-485 port shares its baud
 * rate, parity and stop bits; no two devices share a unit address; a
 * `modbus` channel names an existing device; no two channels read
 * overlapping registers (or the same bit) of one device's table. Pushes one
 * message per broken rule, naming the keys and the values.
 */
export function checkModbus(raw: RawConfig, problems: string[]): void {
  const devices = groupNames(raw, "mb");
  if (devices.length > GROUP_MAX) problems.push(`at most ${GROUP_MAX} Modbus devices, got ${devices.length}`);
  const device = (name: string, field: string): Value | undefined => raw.get(`mb.${name}.${field}`) ?? MODBUS_DEVICE_FIELDS[field].default;
  const first = devices[0];
  const units = new Map<number, string>();
  for (const name of devices) {
    for (const field of ["baud", "parity", "stop_bits"]) {
      if (first !== name && device(name, field) !== device(first, field)) problems.push(`mb.${name}.${field} ${device(name, field)} differs from mb.${first}.${field} ${device(first, field)}: the devices share one RS-485 port`);
    }
    const unit = Number(device(name, "address"));
    const other = units.get(unit);
    if (other) problems.push(`mb.${name}.address ${unit} is also mb.${other}.address`);
    else units.set(unit, name);
  }
  const taken: { key: string; device: string; table: string; from: number; to: number }[] = [];
  for (const name of groupNames(raw, "ch")) {
    if (raw.get(`ch.${name}.type`) !== "modbus") continue;
    const dev = String(raw.get(`ch.${name}.device`) ?? "");
    if (dev && !devices.includes(dev)) problems.push(`ch.${name}.device "${dev}" names no Modbus device (set mb.${dev}.type rtu)`);
    const table = String(raw.get(`ch.${name}.function`) ?? "holding");
    const from = Number(raw.get(`ch.${name}.register`) ?? 0);
    const bits = table === "coil" || table === "discrete";
    const to = from + (bits ? 1 : registersOf(String(raw.get(`ch.${name}.format`) ?? "u16") as RegisterFormat));
    const key = `ch.${name}.register`;
    const clash = taken.find((t) => t.device === dev && t.table === table && from < t.to && t.from < to);
    if (clash) problems.push(`${key} ${from} (${table} ${from}..${to - 1} of ${dev}) overlaps ${clash.key} (${clash.from}..${clash.to - 1})`);
    taken.push({ key, device: dev, table, from, to });
  }
}
