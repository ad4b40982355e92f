import { mulberry32 } from "../../hosts/sim/machines/signals.js";

/**
 * A seeded PRNG for tests (mulberry32, the one the simulator's signal models
 * use): the same seed gives the same sequence on every run, so a failing
 * random case can be replayed.
 */
export function seededRandom(seed: number): () => number {
  return mulberry32(seed);
}

/** An integer in [0, n) drawn from `random`. */
export function randomInt(random: () => number, n: number): number {
  return Math.floor(random() * n);
}
