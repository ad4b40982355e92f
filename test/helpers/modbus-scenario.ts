/**
 * One Modbus scenario on virtual time, portable (runs on Node and inside XS):
 * the master on the simulated RS-485 bus with an energy meter (unit 1) and a
 * drive (unit 2): every function, an exception, a unit that never answers
 * beside the meter, a CRC fault, a broadcast. Returns one line per result and
 * the counters, so the two engines can be compared line by line.
 */
import { ModbusMaster } from "../../modules/io/modbus/master.js";
import type { ModbusRequest } from "../../modules/io/modbus/pdu.js";
import { driveModel } from "../../modules/io/models/drive-model.js";
import { energyMeterModel } from "../../modules/io/models/energy-meter-model.js";
import { RS485BusModel } from "../../modules/io/models/rs485-bus-model.js";
import { FakeTimers } from "./fake-timers.js";

export function modbusScenario(baud = 9600): { lines: string[]; counts: Record<string, number>; de: number[] } {
  const timers = new FakeTimers();
  const bus = new RS485BusModel(timers, baud);
  const meter = bus.attach(energyMeterModel(1, () => timers.monotonic()));
  bus.attach(driveModel(2, () => timers.monotonic()));
  const de: number[] = [];
  let master!: ModbusMaster;
  const Serial = bus.serialClass();
  const serial = new Serial({ baud, onReadable: () => master.onReadable() });
  master = new ModbusMaster({ serial, timers, clock: timers, baud, timeoutMs: 100, retries: 1, direction: { read: () => 0, write: (v) => void de.push(v), close() {} } });
  const lines: string[] = [];
  const ask = (label: string, request: ModbusRequest) =>
    master.submit(request, (r) => void lines.push(`${label}@${timers.monotonic()} ${r.ok ? `ok ${r.values.join(",")}` : r.reason}`));
  ask("coil", { unit: 2, fn: 5, address: 0, value: 1 });
  ask("setpoint", { unit: 2, fn: 6, address: 0, value: 3000 });
  ask("coils", { unit: 2, fn: 15, address: 2, values: [1, 1, 0] });
  ask("holding", { unit: 2, fn: 16, address: 2, values: [11, 12] });
  ask("read-coils", { unit: 2, fn: 1, address: 0, count: 5 });
  ask("read-holding", { unit: 2, fn: 3, address: 0, count: 4 });
  ask("silent", { unit: 9, fn: 3, address: 0, count: 1 });
  ask("meter", { unit: 1, fn: 4, address: 0, count: 2 });
  ask("exception", { unit: 2, fn: 4, address: 7, count: 2 });
  ask("broadcast", { unit: 0, fn: 6, address: 1, value: 20 });
  timers.advance(10_000);
  ask("status", { unit: 2, fn: 2, address: 0, count: 3 });
  ask("frequency", { unit: 2, fn: 4, address: 0, count: 1 });
  ask("silent-again", { unit: 9, fn: 3, address: 0, count: 1 });
  timers.advance(1000);
  meter.faults.crcError = true;
  ask("crc", { unit: 1, fn: 4, address: 0, count: 2 });
  timers.advance(1000);
  master.close();
  const counts: Record<string, number> = {};
  for (const [k, v] of master.counts) counts[k] = v;
  return { lines, counts, de };
}
