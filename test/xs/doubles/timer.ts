import type TimerType from "timer";
import { world } from "./world.js";

/** `timer` (Moddable SDK): set, repeat, clear on the world's virtual clock. */
const Timer = {
  set(callback: (timer: TimerType) => void, delay = 0, repeat = 0): TimerType {
    const id = world.nextTimer++;
    world.timers.push({ id, due: world.now + Math.max(0, delay), interval: repeat > 0 ? repeat : 0, callback: () => callback(id as unknown as TimerType) });
    return id as unknown as TimerType;
  },
  repeat(callback: (timer: TimerType) => void, interval: number): TimerType {
    return Timer.set(callback, interval, interval);
  },
  clear(id: TimerType | null | undefined): void {
    world.timers = world.timers.filter((timer) => timer.id !== (id as unknown as number));
  },
  schedule(id: TimerType, delay = 0, repeat = 0): void {
    const timer = world.timers.find((t) => t.id === (id as unknown as number));
    if (timer) Object.assign(timer, { due: world.now + delay, interval: repeat });
  },
  delay(_ms: number): void {},
} satisfies Pick<typeof import("timer").default, "set" | "repeat" | "clear" | "schedule" | "delay">;
export default Timer;
