import type { Climate } from "./sht3x-model.js";

/**
 * A plausible, repeatable indoor climate for simulated chips: a slow daily
 * swing plus a 10-minute ripple and small seeded noise, as a function of
 * monotonic time (so virtual time in tests gives the same values every run).
 */
export function syntheticClimate(now: () => number, seed = 1): () => Climate {
  let state = seed >>> 0 || 1;
  const noise = () => {
    // xorshift32: tiny, deterministic, no platform random needed.
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x100000000 - 0.5;
  };
  return () => {
    const seconds = now() / 1000;
    const day = Math.sin((2 * Math.PI * seconds) / 86_400);
    const ripple = Math.sin((2 * Math.PI * seconds) / 600);
    return {
      temperature: 22 + 3 * day + 0.4 * ripple + 0.05 * noise(),
      humidity: 45 - 8 * day + 1.5 * ripple + 0.2 * noise(),
    };
  };
}
