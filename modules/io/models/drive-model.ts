import { ModbusSlaveModel, modbusTables } from "./modbus-slave-model.js";

/**
 * The simulated drive's map. Coils: 0 run, 1 reverse. Discrete inputs: 0
 * ready, 1 at speed, 2 fault. Holding: 0 speed setpoint (0.01 Hz), 1
 * acceleration ramp (0.1 s to full speed). Input: 0 output frequency (0.01
 * Hz), 1 motor current (0.1 A), 2 DC bus voltage (V), 3 status word.
 */
export const DRIVE_MAP = Object.freeze({
  coils: { run: 0, reverse: 1 },
  discrete: { ready: 0, atSpeed: 1, fault: 2 },
  holding: { setpoint: 0, ramp: 1 },
  input: { frequency: 0, current: 1, dcBus: 2, status: 3 },
} as const);

/** Full speed of the drive, in 0.01 Hz (50.00 Hz). */
const FULL = 5000;

/**
 * A variable-frequency drive as a Modbus slave: run it (coil 0) and its
 * output frequency ramps to the setpoint (holding 0, at most 50.00 Hz) over
 * the ramp time; the current follows the frequency. Time from `now`
 * (monotonic ms), refreshed at each read.
 */
export function driveModel(unit: number, now: () => number): ModbusSlaveModel {
  const tables = modbusTables({ coils: 8, discrete: 8, holding: 8, input: 8 });
  const m = DRIVE_MAP;
  tables.holding[m.holding.ramp] = 50;
  tables.discrete[m.discrete.ready] = 1;
  let frequency = 0;
  let last = now();
  const refresh = () => {
    const t = now();
    const target = tables.coils[m.coils.run] ? Math.min(FULL, tables.holding[m.holding.setpoint]) : 0;
    const step = ((t - last) / (Math.max(1, tables.holding[m.holding.ramp]) * 100)) * FULL;
    last = t;
    frequency = frequency < target ? Math.min(target, frequency + step) : Math.max(target, frequency - step);
    tables.input[m.input.frequency] = Math.round(frequency);
    tables.input[m.input.current] = Math.round(20 + (frequency / FULL) * 100);
    tables.input[m.input.dcBus] = 540;
    tables.input[m.input.status] = (tables.coils[m.coils.run] ? 1 : 0) | (frequency === target ? 2 : 0);
    tables.discrete[m.discrete.atSpeed] = frequency === target && target > 0 ? 1 : 0;
  };
  refresh();
  return new ModbusSlaveModel(unit, tables, { beforeRead: refresh, afterWrite: refresh });
}
