import type { ModbusDeviceConfig } from "../io/modbus/modbus-bus.js";
import { formatRange, type RegisterFormat } from "../io/modbus/register-format.js";
import type { ModbusTarget } from "./node-config.js";
import { MODBUS_DEVICE_FIELDS } from "./modbus-fields.js";
import { groupNames, type RawConfig } from "./schema.js";

/** The `mb.<dev>` devices of validated `raw`, with their defaults, sorted by name. */
export function resolveModbusDevices(raw: RawConfig): ModbusDeviceConfig[] {
  return groupNames(raw, "mb").map((name) => {
    const get = (field: string) => raw.get(`mb.${name}.${field}`) ?? MODBUS_DEVICE_FIELDS[field].default;
    return {
      name,
      address: Number(get("address")),
      baud: Number(get("baud")),
      parity: String(get("parity")) as ModbusDeviceConfig["parity"],
      stopBits: Number(get("stop_bits")) === 2 ? 2 : 1,
      pollMs: Number(get("poll")),
      timeoutMs: Number(get("timeout")),
    };
  });
}

/**
 * Where Modbus actuator `name` of validated `raw` writes, with the defaults
 * (format u16, scale 1, offset 0, min/max: the values the format holds
 * after scale and offset); undefined for a relay or PWM output.
 */
export function resolveModbusTarget(raw: RawConfig, name: string): ModbusTarget | undefined {
  const type = raw.get(`act.${name}.type`);
  if (type !== "modbus_coil" && type !== "modbus_register") return undefined;
  const get = (field: string) => raw.get(`act.${name}.${field}`);
  const format = (type === "modbus_register" ? String(get("format") ?? "u16") : "u16") as RegisterFormat;
  const scale = Number(get("scale") ?? 1);
  const offset = Number(get("offset") ?? 0);
  const range = formatRange(format);
  const ends = [range.min * scale + offset, range.max * scale + offset];
  return {
    device: String(get("device") ?? ""),
    register: Number(get("register") ?? 0),
    format, scale, offset,
    min: typeof get("min") === "number" ? Number(get("min")) : Math.min(...ends),
    max: typeof get("max") === "number" ? Number(get("max")) : Math.max(...ends),
    rewriteS: Number(get("rewrite_s") ?? 0),
  };
}
