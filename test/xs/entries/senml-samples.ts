/**
 * SenML inputs shared by the Node side and the XS side of the SenML proof:
 * record packs that touch every label and value kind, and telemetry packs
 * (header plus readings) with and without a synchronised clock.
 */
import type { Reading } from "../../../modules/io/channels.js";
import type { SenmlRecord } from "../../../modules/telemetry/senml.js";
import type { PackHeader } from "../../../modules/telemetry/telemetry-pack.js";

/** One pack of records and what it exercises. */
export interface SenmlSample {
  label: string;
  records: SenmlRecord[];
}

/** Builds the record packs (fresh objects each call). */
export function senmlSamples(): SenmlSample[] {
  return [
    { label: "empty pack", records: [] },
    {
      label: "base fields and a float that fits float32",
      records: [{ bn: "urn:dev:mac:0024befffe804ff1:", bt: 1_700_000_000, bu: "Cel", bver: 10, n: "temp", v: 23.5 }],
    },
    {
      label: "values of every kind",
      records: [
        { bn: "node-1:", bt: 1_700_000_123.456, n: "temp", u: "Cel", v: 21.37 },
        { n: "rh", u: "%RH", v: 45.123456, t: 1 },
        { n: "pressure", u: "Pa", v: 101325, t: 2.5 },
        { n: "state", vs: "running — ok ✓", t: -1 },
        { n: "alarm", vb: false },
        { n: "blob", vd: new Uint8Array([0, 1, 2, 254, 255]) },
        { n: "energy", u: "W", s: 1234.5, ut: 60 },
        { n: "tiny", v: 1e-9 },
        { n: "negative", u: "Cel", v: -40.1 },
        { n: "big", v: 2 ** 40 },
      ],
    },
  ];
}

/** A telemetry pack's inputs. */
export interface TelemetrySample {
  label: string;
  header: PackHeader;
  readings: Reading[];
}

/** Builds the telemetry packs (fresh objects each call). */
export function telemetrySamples(): TelemetrySample[] {
  const readings: Reading[] = [
    { quality: "good" as const, channel: "temp", unit: "Cel", value: 22.123456789, at: 1000 },
    { quality: "good" as const, channel: "rh", unit: "%RH", value: 44.98765, at: 1000 },
    { quality: "good" as const, channel: "temp", unit: "Cel", value: 22.2, at: 2000 },
    { quality: "good" as const, channel: "rh", unit: "%RH", value: 45, at: 2500 },
  ];
  return [
    { label: "clock not synchronised", header: { nodeId: "0024befffe804ff1", bootId: "1a2b3c4d", seq: 1 }, readings },
    {
      label: "synchronised, historical",
      header: { nodeId: "pump-7", bootId: "deadbeef", seq: 42, epochAtBoot: 1_700_000_000_000, historical: true },
      readings,
    },
  ];
}
