/**
 * modbus-serial's ServerSerial, an independent Modbus RTU slave (its own
 * framing and CRC), listening on one end of a pty pair at 9600 baud: the
 * peer the master and the simulator's --serial are tested against.
 */
import { createRequire } from "node:module";
import type { ExecutionContext } from "ava";
import { nodeSerialClass } from "../../hosts/sim/serial-port.js";
import { VirtualTime } from "../../hosts/sim/virtual-time.js";
import { ModbusMaster, type ModbusMasterOptions } from "../../modules/io/modbus/master.js";

const require = createRequire(import.meta.url);
const { ServerSerial } = require("modbus-serial") as { ServerSerial: new (vector: object, options: object) => { close(cb: () => void): void; on(e: string, f: () => void): void } };

/** Starts the slave at unit `unitID` on `path` with modbus-serial's `vector` of register callbacks; resolves once it listens. */
export async function startIndependentSlave(path: string, unitID: number, vector: object): Promise<{ close(): Promise<void> }> {
  const server = new ServerSerial(vector, { path, baudRate: 9600, unitID, interval: 10 });
  await new Promise<void>((resolve) => server.on("initialized", resolve));
  return { close: () => new Promise<void>((resolve) => server.close(resolve)) };
}

/** The firmware's master at 9600 baud, no parity, on `path` in real time; closed (with its port) at the test's end. */
export function masterOnPty(t: ExecutionContext, path: string, options: Omit<ModbusMasterOptions, "serial" | "timers" | "clock" | "baud">): ModbusMaster {
  let master!: ModbusMaster;
  const Serial = nodeSerialClass(path);
  const serial = new Serial({ baud: 9600, parity: "none", onReadable: () => master.onReadable() });
  t.teardown(() => serial.close());
  const time = new VirtualTime({ speed: 1 });
  master = new ModbusMaster({ serial, timers: time, clock: time, baud: 9600, ...options });
  t.teardown(() => master.close());
  return master;
}
