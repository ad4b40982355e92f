import { world } from "./world.js";

/** `modules` (Moddable SDK): this build has the ESP32 `resetReason` module, reporting `world.resetReason` (a task-watchdog reset unless a test says otherwise). */
const Modules = {
  has(name: string): boolean {
    return name === "resetReason";
  },
  importNow(name: string): unknown {
    if (name !== "resetReason") throw new Error(`module ${name} not found`);
    return () => ({ reason: world.resetReason === "Software" ? 3 : 6, string: world.resetReason });
  },
};
export default Modules;
