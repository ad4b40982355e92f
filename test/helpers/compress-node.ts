/**
 * A node configured as issue 12 item 4's compact packs ask (no Node
 * built-ins: it also runs inside XS): 8 transmitter channels on the ESP32's
 * ADC1 pins (GPIO 32-39, 4-20 mA over the default 150 ohm shunt, range
 * 0-100 %), each `compress(5)` (5 % of its range), telemetry.batch_size 1000
 * and telemetry.max_interval 600 s. The signals are seeded: a slow random
 * walk with noise, so that compress keeps about a third of the samples as
 * on the SKAB pump recording (23,461 points of 75,240 samples).
 */
import type { PinBoard } from "../../modules/io/models/pin-models.js";
import { seededRandom } from "./seeded-random.js";

/** The ADC1 pins the channels read. */
export const COMPRESS_PINS: readonly number[] = [32, 33, 34, 35, 36, 37, 38, 39];

/** Boot overrides: the channels (8 by default, at most 8; they replace the default ones), their chains, the batching. */
export function compressNodeOverrides(channels = COMPRESS_PINS.length): Record<string, string> {
  const overrides: Record<string, string> = { "telemetry.batch_size": "1000", "telemetry.max_interval": "600" };
  COMPRESS_PINS.slice(0, channels).forEach((pin, i) => {
    overrides[`ch.a${i}.type`] = "analog";
    overrides[`ch.a${i}.pin`] = String(pin);
    overrides[`ch.a${i}.filter`] = "compress(5)";
  });
  return overrides;
}

/**
 * Drives the pins with the seeded signals (ADC counts at 12 bits, vref 3.3 V):
 * each channel a random walk in 25..75 % with steps drawn once a second, plus
 * noise of ±`noise` % drawn on every read (the driver averages 4 reads a
 * sample), all within the transmitter's 4-20 mA.
 */
export function driveCompressSignals(pins: PinBoard, now: () => number, seed: number, noise = 20): void {
  COMPRESS_PINS.forEach((pin, i) => {
    const random = seededRandom(seed * 31 + i);
    let level = 30 + 40 * random();
    let second = 0;
    pins.analog.set(pin, () => {
      for (const s = Math.floor(now() / 1000); second < s; second++) level = Math.max(25, Math.min(75, level + (random() - 0.5) * 2));
      const percent = level + (random() - 0.5) * 2 * noise;
      const milliamps = 4 + (16 * percent) / 100;
      return ((milliamps * 0.15) / 3.3) * 4095;
    });
  });
}
