import { world } from "./world.js";

let wallOffset: number | undefined;

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
  get wallOffset(): number | undefined {
    return wallOffset;
  },
};
export default Time;
