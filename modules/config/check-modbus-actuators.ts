import { formatRange, registersOf, type RegisterFormat } from "../io/modbus/register-format.js";
import { MODBUS_ACTUATOR_FIELDS } from "./modbus-fields.js";
import { resolveModbusTarget } from "./resolve-modbus.js";
import { groupNames, type RawConfig } from "./schema.js";

/**
 * The rules of actuators at save (config/validate.ts), by type: a relay or
 * PWM output has a pin and none of the Modbus fields; a modbus_coil or
 * modbus_register actuator has no pin, names an existing mb.<dev> device and
 * a register; a coil takes no format, scale, offset, min or max (it is
 * on/off); a register's scale is not 0, min <= max, and min, max and the
 * safe state fit its format after scale and offset; no two actuators write
 * overlapping registers (or the same coil) of one device. Safe states:
 * relay and coil 0 or 100, PWM 0..100. Pushes one message per broken rule,
 * naming the key and the value.
 */
export function checkActuatorTypes(raw: RawConfig, problems: string[]): void {
  const devices = groupNames(raw, "mb");
  const written: { key: string; device: string; table: string; from: number; to: number }[] = [];
  for (const name of groupNames(raw, "act")) {
    const p = `act.${name}.`;
    const type = String(raw.get(`${p}type`));
    const safe = Number(raw.get(`${p}safe_state`) ?? 0);
    const modbus = resolveModbusTarget(raw, name);
    if (!modbus) {
      if (raw.get(`${p}pin`) === undefined) problems.push(`${p}pin must be set`);
      for (const field of Object.keys(MODBUS_ACTUATOR_FIELDS)) if (raw.has(p + field)) problems.push(`${p}${field} is only for modbus_coil and modbus_register actuators, not ${type}`);
      if (type === "relay" && safe !== 0 && safe !== 100) problems.push(`${p}safe_state of a relay must be 0 (off) or 100 (on), got ${safe}`);
      if (type === "pwm" && !(safe >= 0 && safe <= 100)) problems.push(`${p}safe_state of a PWM output must be 0..100 (%), got ${safe}`);
      continue;
    }
    if (raw.has(`${p}pin`)) problems.push(`${p}pin ${raw.get(`${p}pin`)}: a ${type} actuator has no pin (it writes mb.${modbus.device || "<dev>"})`);
    const device = raw.get(`${p}device`);
    if (device === undefined) problems.push(`${p}device must be set for ${type}: the name of an mb.<dev> device`);
    else if (!devices.includes(String(device))) problems.push(`${p}device "${device}" names no Modbus device (set mb.${device}.type rtu)`);
    if (!raw.has(`${p}register`)) problems.push(`${p}register must be set for ${type}`);
    let width = 1;
    if (type === "modbus_coil") {
      for (const field of ["format", "scale", "offset", "min", "max"]) if (raw.has(p + field)) problems.push(`${p}${field} ${raw.get(p + field)} does not fit a coil (a coil is on or off)`);
      if (safe !== 0 && safe !== 100) problems.push(`${p}safe_state of a coil must be 0 (off) or 100 (on), got ${safe}`);
    } else {
      width = registersOf(modbus.format);
      if (modbus.register + width > 65536) problems.push(`${p}register ${modbus.register} with format ${modbus.format} passes 65535`);
      if (modbus.scale === 0) problems.push(`${p}scale must not be 0 (the register holds (value - offset) / scale)`);
      else {
        if (modbus.min > modbus.max) problems.push(`${p}min ${modbus.min} is above ${p}max ${modbus.max}`);
        const fits = (value: number) => fitsFormat(modbus.format, (value - modbus.offset) / modbus.scale);
        for (const field of ["min", "max"] as const) if (raw.has(p + field) && !fits(modbus[field])) problems.push(`${p}${field} ${modbus[field]} does not fit ${modbus.format} with scale ${modbus.scale} and offset ${modbus.offset}`);
        if (!fits(safe)) problems.push(`${p}safe_state ${safe} does not fit ${modbus.format} with scale ${modbus.scale} and offset ${modbus.offset}`);
        else if (safe < modbus.min || safe > modbus.max) problems.push(`${p}safe_state ${safe} is outside ${p}min..max (${modbus.min}..${modbus.max})`);
      }
    }
    const table = type === "modbus_coil" ? "coil" : "holding register";
    const key = `${p}register`;
    const from = modbus.register;
    const clash = written.find((w) => w.device === modbus.device && w.table === table && from < w.to && w.from < from + width);
    if (clash) problems.push(`${key} ${from} (${table} ${from}..${from + width - 1} of ${modbus.device}) overlaps ${clash.key} (${clash.from}..${clash.to - 1}): two actuators would fight over it`);
    written.push({ key, device: modbus.device, table, from, to: from + width });
  }
}

/** True when `raw` (rounded for integer formats) fits `format`. */
function fitsFormat(format: RegisterFormat, raw: number): boolean {
  const { min, max } = formatRange(format);
  const value = format.startsWith("f32") ? raw : Math.round(raw);
  return Number.isFinite(value) && value >= min && value <= max;
}
