import { world } from "./world.js";

/** `timer` (Moddable SDK): set, repeat, clear on the world's virtual clock. */
const Timer = {
  set(callback: (id: unknown) => void, delay = 0, repeat = 0): number {
    const id = world.nextTimer++;
    world.timers.push({ id, due: world.now + Math.max(0, delay), interval: repeat > 0 ? repeat : 0, callback });
    return id;
  },
  repeat(callback: (id: unknown) => void, interval: number): number {
    return Timer.set(callback, interval, interval);
  },
  clear(id: unknown): void {
    world.timers = world.timers.filter((timer) => timer.id !== id);
  },
  schedule(id: unknown, delay: number, repeat = 0): void {
    const timer = world.timers.find((t) => t.id === id);
    if (timer) Object.assign(timer, { due: world.now + delay, interval: repeat });
  },
  delay(_ms: number): void {},
};
export default Timer;
