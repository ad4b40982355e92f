/**
 * Places a profile's chips on the simulated board (the ECMA-419 boundary):
 * each chip model answers the driver's bus transactions with the value the
 * plant gives for the channels that read it. Returns a handle per chip to
 * inject the chip-level faults (`nack`: the chip stops answering; `open`:
 * what a broken wire gives, for these I2C chips also no answer).
 */
import type { SimulatedBoard } from "../../../modules/io/models/index.js";
import { ProbeModel } from "../../../modules/io/models/probe-model.js";
import { SHT3xModel } from "../../../modules/io/models/sht3x-model.js";
import type { ChipSpec, Profile } from "./profile.js";
import type { Plant } from "./plant.js";

/** Chip-level faults. */
export type ChipFault = "nack" | "open";

export interface PlacedChip {
  spec: ChipSpec;
  /** Channels that read this chip. */
  channels: string[];
  fault(kind: ChipFault): void;
  clear(): void;
}

/** When a probe's next value comes (a replay's next row), by channel; undefined: continuous. */
export type ProbePacing = (channel: string) => (() => number | "continuous" | "end") | undefined;

/**
 * Places every chip of `profile` on `board`, replacing the board's stock
 * SHT3x at 0x44 (a profile's board has exactly the chips it declares).
 * Throws what the bus throws for an address it refuses.
 */
export function placeChips(board: SimulatedBoard, profile: Profile, plant: Plant, pacing?: ProbePacing): PlacedChip[] {
  board.bus.detach(0x44);
  return profile.chips.map((spec) => {
    const channels = profile.channels.filter((c) => c.chip === spec.id);
    const of = (measure: string) => channels.find((c) => c.measure === measure)?.name;
    switch (spec.type) {
      case "sht3x": {
        const t = of("temperature");
        const h = of("humidity");
        const model = new SHT3xModel(() => ({ temperature: t ? plant.value(t) : 20, humidity: h ? plant.value(h) : 50 }));
        board.bus.attach(spec.address!, model);
        return placed(spec, channels.map((c) => c.name), (on) => {
          model.faults.absent = on;
        });
      }
      case "probe": {
        const channel = channels[0]?.name;
        const next = (channel ? pacing?.(channel) : undefined) ?? (() => "continuous" as const);
        const model = new ProbeModel({ value: () => (channel ? plant.value(channel) : Number.NaN), next });
        board.bus.attach(spec.address!, model);
        return placed(spec, channels.map((c) => c.name), (on) => {
          model.faults.absent = on;
        });
      }
      default:
        throw new TypeError(`chip type ${spec.type} has no binding`);
    }
  });
}

function placed(spec: ChipSpec, channels: string[], silence: (on: boolean) => void): PlacedChip {
  return {
    spec,
    channels,
    fault: () => silence(true),
    clear: () => silence(false),
  };
}
