import type { Timers } from "../../platform.js";
import { driveModel } from "./drive-model.js";
import { energyMeterModel } from "./energy-meter-model.js";
import { RS485BusModel } from "./rs485-bus-model.js";

/**
 * The simulated board's RS-485 bus at 9600 baud: an energy meter at unit 1
 * (energy-meter-model.ts) and a drive at unit 2 (drive-model.ts), on the
 * given timers and clock. Faults are injected through `bus.slaves[i].faults`.
 */
export function simulatedRs485(timers: Timers, now: () => number, baud = 9600): RS485BusModel {
  const bus = new RS485BusModel(timers, baud);
  bus.attach(energyMeterModel(1, now));
  bus.attach(driveModel(2, now));
  return bus;
}
