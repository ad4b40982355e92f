/** `modules` (Moddable SDK): this build has the ESP32 `resetReason` module, reporting a task-watchdog reset. */
const Modules = {
  has(name: string): boolean {
    return name === "resetReason";
  },
  importNow(name: string): unknown {
    if (name !== "resetReason") throw new Error(`module ${name} not found`);
    return () => ({ reason: 6, string: "Task WDT" });
  },
};
export default Modules;
