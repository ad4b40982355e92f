import type { Timers } from "../../platform.js";
import { driveModel } from "./drive-model.js";
import { energyMeterModel } from "./energy-meter-model.js";
import { RS485BusModel } from "./rs485-bus-model.js";

/** One simulated slave: which model, at which unit address. */
export interface SlaveSpec {
  model: "meter" | "drive";
  unit: number;
}

/** The default bus: an energy meter at unit 1 and a drive at unit 2. */
export const DEFAULT_SLAVES: readonly SlaveSpec[] = Object.freeze([{ model: "meter", unit: 1 }, { model: "drive", unit: 2 }]);

/**
 * The simulated board's RS-485 bus at 9600 baud with `slaves` on it (default:
 * an energy meter at unit 1, energy-meter-model.ts, and a drive at unit 2,
 * drive-model.ts; a machine profile declares its own), on the given timers
 * and clock. Faults are injected through `bus.slaves[i].faults`.
 */
export function simulatedRs485(timers: Timers, now: () => number, baud = 9600, slaves: readonly SlaveSpec[] = DEFAULT_SLAVES): RS485BusModel {
  const bus = new RS485BusModel(timers, baud);
  for (const slave of slaves) bus.attach(slave.model === "meter" ? energyMeterModel(slave.unit, now) : driveModel(slave.unit, now));
  return bus;
}
