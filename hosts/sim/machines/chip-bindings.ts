/**
 * Places a profile's chips on the simulated board (the ECMA-419 boundary):
 * each chip model answers the driver's bus transactions with the value the
 * plant gives for the channels that read it. Returns a handle per chip to
 * inject the chip-level faults (`nack`: the chip stops answering; `open`:
 * what a broken wire gives, for these I2C chips also no answer).
 */
import { placeADS1115, placeContact, placeMAX31855, placeTransmitter, type SimulatedBoard } from "../../../modules/io/models/index.js";
import { ProbeModel } from "../../../modules/io/models/probe-model.js";
import { SHT3xModel } from "../../../modules/io/models/sht3x-model.js";
import type { ChipSpec, Profile } from "./profile.js";
import type { Plant } from "./plant.js";
import { mulberry32 } from "./signals.js";
import { dividerFor } from "./chip-types.js";

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
  const random = mulberry32(profile.seed ^ 0xc41b);
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
      case "ads1115": {
        const adc = placeADS1115(board, spec.address, random);
        const transmitters = channels.map((c) => placeTransmitter(board, { adc, ain: c.input ?? 0 }, () => plant.value(c.name),
          { signal: c.output ?? "4-20mA", rangeLow: c.range![0], rangeHigh: c.range![1], shunt: 250, divider: dividerFor("ads1115", c.output) }, random));
        return placedWith(spec, channels.map((c) => c.name), (kind, on) => {
          if (kind === "nack") adc.faults.nack = on;
          else for (const t of transmitters) t.faults.open = on;
        });
      }
      case "analog": {
        const c = channels[0];
        const transmitter = c ? placeTransmitter(board, { pin: spec.pin!, vref: 3.3 }, () => plant.value(c.name),
          { signal: c.output ?? "4-20mA", rangeLow: c.range![0], rangeHigh: c.range![1], shunt: 150, divider: dividerFor("analog", c.output) }, random) : undefined;
        // An ADC cannot NACK: both faults break the loop.
        return placedWith(spec, channels.map((ch) => ch.name), (_kind, on) => {
          if (transmitter) transmitter.faults.open = on;
        });
      }
      case "max31855": {
        const c = channels[0];
        const chip = placeMAX31855(board, spec.select!, () => ({ thermocouple: c ? plant.value(c.name) : 25, internal: 25 }), random);
        return placedWith(spec, channels.map((ch) => ch.name), (kind, on) => {
          // No chip on the bus reads as all ones; an open thermocouple sets the OC bit.
          if (kind === "nack") chip.faults.stuck = on ? 1 : undefined;
          else chip.faults.open = on;
        });
      }
      case "contact": {
        const c = channels[0];
        const contact = placeContact(board, spec.pin!, () => (c && plant.value(c.name) > 0.5 ? 1 : 0));
        return placedWith(spec, channels.map((ch) => ch.name), (_kind, on) => {
          contact.faults.stuck = on ? 0 : undefined;
        });
      }
      default:
        throw new TypeError(`chip type ${spec.type} has no binding`);
    }
  });
}

function placedWith(spec: ChipSpec, channels: string[], set: (kind: ChipFault, on: boolean) => void): PlacedChip {
  let active: ChipFault | undefined;
  return {
    spec,
    channels,
    fault: (kind) => {
      if (active && active !== kind) set(active, false);
      active = kind;
      set(kind, true);
    },
    clear: () => {
      if (active) set(active, false);
      active = undefined;
    },
  };
}

function placed(spec: ChipSpec, channels: string[], silence: (on: boolean) => void): PlacedChip {
  return {
    spec,
    channels,
    fault: () => silence(true),
    clear: () => silence(false),
  };
}
