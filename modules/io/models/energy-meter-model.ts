import { ModbusSlaveModel, modbusTables, putFloat32 } from "./modbus-slave-model.js";

/**
 * Input registers of the simulated energy meter (float32, high word first,
 * the layout of common DIN-rail meters such as the Eastron SDM series).
 */
export const ENERGY_METER_REGISTERS = Object.freeze({ voltage: 0x0000, current: 0x0006, power: 0x000c, frequency: 0x0046, energy: 0x0156 } as const);

/**
 * A single-phase energy meter as a Modbus slave: voltage (V) around 230,
 * current (A) following a daily load curve, power (W), grid frequency (Hz),
 * and the imported energy (kWh) that only grows; all from `now` (monotonic
 * ms), refreshed at each read. 0x160 input registers; no coils or holding
 * registers (a write gets exception 2).
 */
export function energyMeterModel(unit: number, now: () => number): ModbusSlaveModel {
  const tables = modbusTables({ input: 0x160 });
  let energy = 1234.5;
  let last = now();
  const refresh = () => {
    const t = now();
    const hours = (t - last) / 3_600_000;
    last = t;
    const voltage = 230 + 3 * Math.sin(t / 600_000);
    const current = 8 + 6 * Math.sin((2 * Math.PI * t) / 86_400_000);
    const power = voltage * current;
    energy += (power / 1000) * hours;
    const r = ENERGY_METER_REGISTERS;
    putFloat32(tables.input, r.voltage, voltage);
    putFloat32(tables.input, r.current, current);
    putFloat32(tables.input, r.power, power);
    putFloat32(tables.input, r.frequency, 50 + 0.02 * Math.sin(t / 30_000));
    putFloat32(tables.input, r.energy, energy);
  };
  refresh();
  return new ModbusSlaveModel(unit, tables, { beforeRead: refresh });
}
