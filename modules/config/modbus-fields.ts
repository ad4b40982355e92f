import type { KeySpec } from "./key-spec.js";

/**
 * Fields of one Modbus RTU device `mb.<dev>.<field>` on the node's RS-485
 * port (Modbus over Serial Line V1.02: unit addresses 1-247, section 2.2;
 * the default even parity, section 2.5.1). Setting `type` (rtu) creates the
 * device; the channels of type `modbus` name it in `ch.<name>.device`.
 */
export const MODBUS_DEVICE_FIELDS: Readonly<Record<string, KeySpec>> = Object.freeze({
  type: { type: "enum", values: ["rtu"], help: "rtu (Modbus RTU on the RS-485 port); setting it creates the device", restart: true },
  address: { type: "int", default: 1, min: 1, max: 247, help: "the device's unit address", restart: true },
  baud: { type: "int", default: 9600, min: 1200, max: 115200, unit: "baud", help: "line speed (every device on the port shares it)", restart: true },
  parity: { type: "enum", values: ["none", "even", "odd"], default: "even", help: "parity (every device on the port shares it)", restart: true },
  stop_bits: { type: "int", default: 1, min: 1, max: 2, help: "stop bits (2 is usual with parity none)", restart: true },
  poll: { type: "int", default: 1000, min: 50, max: 3_600_000, unit: "ms", help: "how often its channels' registers are read", restart: true },
  timeout: { type: "int", default: 200, min: 10, max: 5000, unit: "ms", help: "response time-out", restart: true },
});
