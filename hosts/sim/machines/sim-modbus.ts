/**
 * `sim modbus`: the simulated RS-485 bus's slaves and their faults, at the
 * simulator's console: `sim modbus` lists each slave (unit, requests seen,
 * fault); `sim modbus <unit> none|noanswer|crc|slow <ms>|exception <code>`
 * sets one slave's fault (modules/io/models/modbus-slave-model.ts): no answer,
 * a CRC error in every answer, answers `ms` late, or exception `code` to
 * every request.
 */
import type { RS485BusModel } from "../../../modules/io/models/rs485-bus-model.js";
import type { ModbusSlaveFaults } from "../../../modules/io/models/modbus-slave-model.js";

/** Exception codes a slave may answer (Modbus Application Protocol section 7). */
const EXCEPTIONS = [1, 2, 3, 4, 5, 6, 8, 10, 11];

/** One line per slave. */
export function describeSlaves(bus: RS485BusModel): string[] {
  return bus.slaves.map((s) => `unit ${s.unit}: ${s.requests} request(s), fault ${describeFault(s.faults)}`);
}

function describeFault(f: ModbusSlaveFaults): string {
  if (f.noAnswer) return "noanswer";
  if (f.crcError) return "crc";
  if (f.exception) return `exception ${f.exception}`;
  if (f.slowMs) return `slow ${f.slowMs} ms`;
  return "none";
}

/**
 * Applies `args` (after `sim modbus`) to `bus`; returns the reply line.
 * Throws RangeError naming the bad unit, fault or number.
 */
export function setSlaveFault(bus: RS485BusModel, args: string[]): string {
  const unit = Number(args[0]);
  const slave = bus.slaves.find((s) => String(s.unit) === args[0]);
  if (!slave) throw new RangeError(`no simulated slave at unit ${JSON.stringify(String(args[0]).slice(0, 8))}; units: ${bus.slaves.map((s) => s.unit).join(", ") || "none"}`);
  const kind = args[1];
  const number = args.length === 3 ? Number(args[2]) : Number.NaN;
  const digits = args.length === 3 && args[2].length <= 6 && [...args[2]].every((c) => c >= "0" && c <= "9");
  let faults: ModbusSlaveFaults;
  if (kind === "none" && args.length === 2) faults = {};
  else if (kind === "noanswer" && args.length === 2) faults = { noAnswer: true };
  else if (kind === "crc" && args.length === 2) faults = { crcError: true };
  else if (kind === "slow" && digits && number >= 1 && number <= 60_000) faults = { slowMs: number };
  else if (kind === "exception" && digits && EXCEPTIONS.includes(number)) faults = { exception: number };
  else throw new RangeError(`usage: sim modbus <unit> none|noanswer|crc|slow <1-60000 ms>|exception <${EXCEPTIONS.join("|")}>`);
  slave.faults = faults;
  return `unit ${unit}: fault ${describeFault(faults)}`;
}
