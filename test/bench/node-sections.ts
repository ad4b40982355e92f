/**
 * The table's rows about the whole node at the default config: telemetry
 * pack size and period (live simulator and virtual time), the outbox's
 * capacity in time and its replay after a 1-hour outage, flash written per
 * hour and NVS wear, each beside its baseline measured in the same run
 * (default-figures.ts, replay.ts, flash-wear.ts, live-sim.ts).
 */
import { outboxFigures, packFigures, type FigureTarget } from "./default-figures.js";
import { ERASE_CYCLES, nodeRows, OUTBOX_SIZES, outboxRows, wearRows } from "./flash-wear.js";
import { liveSimFigures } from "./live-sim.js";
import { PACING, replayFigures } from "./replay.js";
import { fmt, type BenchContext, type BenchRow } from "./table.js";

/** The simulator's clock counts whole virtual ms (hosts/sim/virtual-time.ts), as the board's does: no fractional stamps. */
const SIM_TARGET: FigureTarget = { label: "simulator", hardwareId: "sim-5bce98" };
const ESP32_TARGET: FigureTarget = { label: "ESP32", hardwareId: "a4d18cdbc020", capacityBytes: 516_000 };

/** The whole node's flash run (6 h of virtual time), shared by two sections. */
let nodeRun: ReturnType<typeof nodeRows> | undefined;
const nodeFlash = () => (nodeRun ??= nodeRows());

/** "64 min", "2.1 h". */
export function formatMinutes(minutes: number): string {
  return minutes < 90 ? `${Math.round(minutes)} min` : `${(minutes / 60).toFixed(1)} h`;
}

/** Pack size and period: the simulator live, and the same firmware in virtual time with each host's clock. */
export async function packRows(): Promise<BenchRow[]> {
  const live = await liveSimFigures();
  const sim = await packFigures(SIM_TARGET);
  const board = await packFigures(ESP32_TARGET);
  return [{
    what: "default telemetry pack (2 channels at 1 Hz): fieldnode-sim live / the same firmware in virtual time, simulator's storage / ESP32's",
    fieldnode: `${live ? `${live.minBytes}-${live.maxBytes} B` : "not measured"} / ${sim.minBytes}-${sim.maxBytes} B / ${board.minBytes}-${board.maxBytes} B, every ${sim.periodS} s, ${sim.readingsPerPack} readings`,
    baseline: `one reading a message: ${sim.readingsPerPack} messages every ${sim.periodS} s`,
  }];
}

/** The outbox: capacity in time (simulator and ESP32 sizing) beside the previous firmware's outbox, and the replay after 1 h. */
export async function outboxRowsOfTable(context: BenchContext): Promise<BenchRow[]> {
  const capacity: string[] = [];
  for (const target of [SIM_TARGET, ESP32_TARGET]) {
    const o = await outboxFigures(target);
    capacity.push(`${o.bounded ? "" : "≥ "}${formatMinutes(o.losslessMinutes)} (${target.label})`);
    context.details.log(`outbox ${target.label}: lossless ${o.losslessMinutes} min; after ${o.long.hours} h away ${o.long.arrived} of ${o.long.made} packs arrived, the oldest ${formatMinutes(o.long.reachMinutes)} old`);
  }
  const { packs } = await nodeFlash();
  const previous = OUTBOX_SIZES.map(([label, segments]) => {
    const row = outboxRows(packs, segments).capacity.find((r) => String(r.outbox).startsWith("one open segment"));
    return `${row?.["hours to the first loss"]} h (${label.startsWith("simulator") ? "simulator" : "ESP32"})`;
  });
  const replay = await replayFigures(60);
  return [
    {
      what: "outbox: longest broker outage without losing a pack (default telemetry, virtual time)",
      fieldnode: capacity.join(", "),
      baseline: `previous firmware's outbox fed the same packs: first loss after ${previous.join(", ")}`,
    },
    {
      what: `outbox replay after a 1-hour outage (virtual time, broker acks within 100 ms; pacing ${PACING})`,
      fieldnode: `${replay.replayed} packs in ${replay.seconds.toFixed(0)} s, ${(replay.replayed / replay.seconds).toFixed(1)} packs/s`,
      baseline: `packs made while connected: ${replay.liveRate.toFixed(2)}/s (the backlog drains ${Math.round(replay.replayed / replay.seconds / replay.liveRate)}× faster than it filled)`,
    },
  ];
}

/** Flash bytes written per hour, online and offline (whole node), and NVS wear, beside the previous firmware's outbox fed the same packs. */
export async function flashRows(context: BenchContext): Promise<BenchRow[]> {
  const { rows: node, packs } = await nodeFlash();
  const esp32Segments = OUTBOX_SIZES[1][1];
  const { rows: outbox } = outboxRows(packs, esp32Segments);
  const wear = wearRows(packs, esp32Segments);
  context.details.log("\nFlash written per hour (whole node, then the outbox alone beside the previous firmware's):");
  context.details.table([...node, ...outbox]);
  context.details.log("NVS wear (test/bench/nvs-model.ts), the outbox alone on the ESP32's sizing:");
  context.details.table(wear);
  const nodeAt = (state: string) => node.find((r) => String(r.state).startsWith(state))?.["flash B/h"];
  const previousAt = (state: string) => outbox.find((r) => String(r.outbox).startsWith("one open segment") && String(r.state).startsWith(state))?.["flash B/h"];
  const ownAt = (state: string) => outbox.find((r) => String(r.outbox).startsWith("journal") && String(r.state).startsWith(state))?.["flash B/h"];
  const years = (scheme: string, pattern: string) => wear.find((r) => String(r.outbox).startsWith(scheme) && String(r.pattern).startsWith(pattern))?.["years to 100k cycles (most erased page)"];
  const b = (v: unknown) => (typeof v === "number" ? `${fmt(v)} B/h` : String(v));
  return [
    {
      what: "flash written per hour, default telemetry (whole node; ESP32 outbox sizing): online / broker away, hour 1 / hour 5 (outbox full)",
      fieldnode: `${b(nodeAt("online"))} / ${b(nodeAt("broker away, hour 1"))} / ${b(nodeAt("broker away, hour 5"))} (outbox alone: ${b(ownAt("online"))} / ${b(ownAt("broker away, hour 1"))} / ${b(ownAt("broker away, hour 5"))})`,
      baseline: `previous firmware's outbox alone, same packs: ${b(previousAt("online"))} / ${b(previousAt("broker away, hour 1"))} / ${b(previousAt("broker away, hour 5"))}`,
    },
    {
      what: `NVS wear, most erased page, years to ${fmt(ERASE_CYCLES)} cycles: broker gone for good / back-to-back outages`,
      fieldnode: `${years("journal", "broker away")} / ${years("journal", "outages")} years`,
      baseline: `previous outbox ${years("one open", "broker away")} / ${years("one open", "outages")} years`,
    },
  ];
}
