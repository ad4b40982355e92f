import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Reading } from "../../modules/io/channels.js";
import { seededRandom } from "../helpers/seeded-random.js";

/** The SKAB pump test bed's channels, with SenML names and units. */
export const SKAB_CHANNELS = [
  { column: "Accelerometer1RMS", name: "vib1", unit: "m/s2", scale: 9.80665 },
  { column: "Accelerometer2RMS", name: "vib2", unit: "m/s2", scale: 9.80665 },
  { column: "Current", name: "current", unit: "A", scale: 1 },
  { column: "Pressure", name: "pressure", unit: "Pa", scale: 1e5 },
  { column: "Temperature", name: "motor_temp", unit: "Cel", scale: 1 },
  { column: "Thermocouple", name: "fluid_temp", unit: "Cel", scale: 1 },
  { column: "Voltage", name: "voltage", unit: "V", scale: 1 },
  { column: "Volume Flow RateRMS", name: "flow", unit: "l/min", scale: 1 },
] as const;

/** Default place of the recordings: ../shared/data/skab beside the repository. */
export const SKAB_DIR = fileURLToPath(new URL("../../../../shared/data/skab/", import.meta.url));

/**
 * One second of the test bed per row, as readings at 1 Hz. Returns undefined
 * when the file is not there (a clone without ../shared).
 */
export function loadSkab(file: string): { rows: number; readings: Reading[][] } | undefined {
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, "utf8").trim().split(/\r?\n/);
  const header = lines[0].split(";");
  const columns = SKAB_CHANNELS.map((c) => header.indexOf(c.column));
  const readings = lines.slice(1).map((line, second) => {
    const cells = line.split(";");
    return SKAB_CHANNELS.map((c, i) => ({ quality: "good" as const, channel: c.name, unit: c.unit, value: Number(cells[columns[i]]) * c.scale, at: second * 1000 }));
  });
  return { rows: readings.length, readings };
}

/** A stand-in with the same shape when the recordings are absent: seeded noise around typical values. */
export function syntheticSkab(rows: number): Reading[][] {
  const random = seededRandom(7);
  const noise = () => random() - 0.5;
  const typical = [0.21, 0.27, 2.1, 0.3e5, 90, 26.8, 235, 122];
  return Array.from({ length: rows }, (_, second) =>
    SKAB_CHANNELS.map((c, i) => ({ quality: "good" as const, channel: c.name, unit: c.unit, value: typical[i] * (1 + 0.02 * noise()), at: second * 1000 })),
  );
}
