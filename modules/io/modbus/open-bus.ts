import type { Counters } from "../../counters.js";
import type { Logger } from "../../log.js";
import type { Platform } from "../../platform.js";
import { attachModbusBus, ModbusBus, type ModbusDeviceConfig } from "./modbus-bus.js";

/**
 * Opens the node's Modbus bus for the configured devices and attaches it to
 * the board's IO, so that `modbus` channels and the console find it; raw
 * frames go to the log at level debug. No devices: nothing. A host without
 * a serial port: a warning, the counter `modbus_no_port`, and the channels
 * report `no_io`. Never throws.
 */
export function openModbusBus(platform: Platform, devices: readonly ModbusDeviceConfig[] | undefined, log: Logger, counters: Counters): ModbusBus | undefined {
  if (!devices || devices.length === 0) return undefined;
  try {
    const bus = new ModbusBus({ io: platform.io, timers: platform.timers, clock: platform.clock, devices, log: (line) => log.write("debug", "modbus", line) });
    attachModbusBus(platform.io, bus);
    return bus;
  } catch (error) {
    counters.add("modbus_no_port");
    log.write("warn", "modbus", String((error as Error)?.message ?? error));
    return undefined;
  }
}
