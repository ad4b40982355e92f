/**
 * Modbus RTU throughput: transactions per second of the master on the
 * simulated bus (virtual time, the slave answering after 2 ms) at 9600 and
 * 115200 baud, beside the bus's theoretical limit for the same frames
 * (request + answer on the wire + two 3.5-character silences, no turnaround),
 * and the master's own CPU time per transaction on this machine.
 */
import { performance } from "node:perf_hooks";
import { ModbusMaster } from "../../modules/io/modbus/master.js";
import { energyMeterModel } from "../../modules/io/models/energy-meter-model.js";
import { RS485BusModel } from "../../modules/io/models/rs485-bus-model.js";
import { rtuTiming } from "../../modules/io/modbus/rtu-timing.js";
import { FakeTimers } from "../helpers/fake-timers.js";
import { CONSOLE, type BenchRow, type Details } from "./table.js";

const TRANSACTIONS = 2000;

function measure(baud: number, count: number) {
  const timers = new FakeTimers();
  const bus = new RS485BusModel(timers, baud, 2);
  bus.attach(energyMeterModel(1, () => timers.monotonic()));
  let master!: ModbusMaster;
  const Serial = bus.serialClass();
  const serial = new Serial({ baud, onReadable: () => master.onReadable() });
  master = new ModbusMaster({ serial, timers, clock: timers, baud, queueLimit: count });
  let done = 0;
  let ok = 0;
  for (let i = 0; i < count; i++) master.submit({ unit: 1, fn: 4, address: 0, count: 2 }, (r) => void ((done += 1), (ok += r.ok ? 1 : 0)));
  const started = performance.now();
  let virtualMs = 0;
  while (done < count && virtualMs < 3_600_000) {
    timers.advance(1);
    virtualMs += 1;
  }
  const cpuMs = performance.now() - started;
  return { ok, virtualMs, cpuMs };
}

/** Its row of the bench table; the detailed table goes to `details`. */
export function modbusBench(details: Details = CONSOLE): BenchRow[] {
  const rows = [];
  for (const baud of [9600, 19200, 115200]) {
    const timing = rtuTiming(baud);
    // read 2 input registers: request 8 bytes, answer 9 bytes
    const limitMs = ((8 + 9) * timing.charUs + 2 * timing.t35Us) / 1000;
    const { ok, virtualMs, cpuMs } = measure(baud, TRANSACTIONS);
    rows.push({
      baud,
      "bus limit (transactions/s)": Math.round(1000 / limitMs),
      "master on the simulated bus (transactions/s)": Math.round((ok * 1000) / virtualMs),
      "answered": `${ok}/${TRANSACTIONS}`,
      "CPU per transaction (µs, this machine: master, bus model and virtual clock in 1 ms steps)": Number(((cpuMs * 1000) / TRANSACTIONS).toFixed(1)),
    });
  }
  details.log("\nModbus RTU, reading 2 input registers (8-byte request, 9-byte answer), slave turnaround 2 ms, timers in whole ms:");
  details.table(rows);
  return [{
    what: `Modbus RTU transactions/s reading 2 input registers (slave turnaround 2 ms, virtual time) at ${rows.map((r) => r.baud).join(" / ")} baud`,
    fieldnode: rows.map((r) => r["master on the simulated bus (transactions/s)"]).join(" / "),
    baseline: `bus limit for the same frames ${rows.map((r) => r["bus limit (transactions/s)"]).join(" / ")}`,
  }];
}
