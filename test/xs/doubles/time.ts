import { world } from "./world.js";

/** Wall time minus virtual ticks once `set` ran (what an SNTP answer would do). */
export let wallOffset: number | undefined;

/** `time` (Moddable SDK): `ticks` from the virtual clock, `delta`, and `set` of the wall clock. */
const Time = {
  get ticks(): number {
    return world.now;
  },
  delta(start: number, end?: number): number {
    return (end ?? world.now) - start;
  },
  set(seconds: number): void {
    wallOffset = seconds * 1000 - world.now;
  },
} satisfies Pick<typeof import("time").default, "ticks" | "delta" | "set">;
export default Time;
