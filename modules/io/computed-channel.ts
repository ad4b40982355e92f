import type { ChannelConfig } from "../config/node-config.js";
import { parseExpression, type Expression } from "./expression.js";
import { worstQuality, type Quality } from "./quality.js";
import { badReading, type Reading } from "./reading.js";

/** An input older than this many of its own intervals makes the result stale. */
export const STALE_AFTER_INTERVALS = 3;

/**
 * A computed channel (`ch.<name>.type computed`): its expression, parsed
 * once when the channels start (the config was already checked at save),
 * evaluated from the latest reading of each input. Quality: the worst of
 * the inputs' — a bad input gives bad (reason `input`), an uncertain one
 * uncertain (`input`); an input not read yet gives bad `not_ready`, one older
 * than 3 of its intervals bad `stale`; a result that is not a finite number
 * (division by zero) bad `sensor_fault`.
 */
export class ComputedChannel {
  readonly name: string;
  readonly unit: string;
  readonly inputs: readonly string[];
  #expression: Expression | undefined;
  #scale: number;
  #offset: number;

  /** Never throws: an expression that does not parse gives bad readings (`sensor_fault`). */
  constructor(config: ChannelConfig) {
    this.name = config.name;
    this.unit = config.unit;
    this.#scale = config.scale ?? 1;
    this.#offset = config.offset ?? 0;
    try {
      this.#expression = parseExpression(String(config.fields?.expr ?? ""));
    } catch {
      this.#expression = undefined;
    }
    this.inputs = this.#expression?.inputs ?? [];
  }

  /** The reading for the inputs' latest readings (`latest`), their intervals in ms, at monotonic `now`. */
  compute(latest: (name: string) => Reading | undefined, intervalOf: (name: string) => number, now: number): Reading {
    const expression = this.#expression;
    if (!expression) return badReading(this.name, this.unit, "sensor_fault", now);
    let quality: Quality = "good";
    for (const input of this.inputs) {
      const reading = latest(input);
      if (!reading) return badReading(this.name, this.unit, "not_ready", now);
      if (now - reading.at > STALE_AFTER_INTERVALS * intervalOf(input)) return badReading(this.name, this.unit, "stale", now);
      quality = worstQuality(quality, reading.quality);
    }
    if (quality === "bad") return badReading(this.name, this.unit, "input", now);
    const value = expression.evaluate((name) => latest(name)?.value ?? NaN) * this.#scale + this.#offset;
    if (!Number.isFinite(value)) return badReading(this.name, this.unit, "sensor_fault", now);
    return quality === "good"
      ? { channel: this.name, unit: this.unit, at: now, quality: "good", value }
      : { channel: this.name, unit: this.unit, at: now, quality: "uncertain", reason: "input", value };
  }
}
