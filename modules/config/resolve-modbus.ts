import type { ModbusDeviceConfig } from "../io/modbus/modbus-bus.js";
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
