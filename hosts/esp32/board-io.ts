import { simulatedBoard } from "../../modules/io/models/index.js";
import type { IOProvider } from "../../modules/platform.js";

/** Where the board's IO comes from, for the boot log. */
export type IOSource = "builtin" | "simulated" | "absent";

/**
 * The IO the firmware gets on this build: the SDK's ECMA-419 classes when
 * the device has them; the portable chip models only under mcsim (the `lin`
 * build, `fieldnode.host` "mcsim"), which has no ECMA-419 digital, analog or
 * I2C, and then flagged `simulated` (the birth says `sim: true`). A board
 * never reads a model: on any other host without built-in IO every open
 * throws (reason `no_io`), so each configured channel is bad with an event
 * instead of publishing synthetic values as real telemetry.
 */
export function boardIO(builtin: IOProvider | undefined, host: string, now: () => number): { io: IOProvider; source: IOSource } {
  if (builtin) return { io: builtin, source: "builtin" };
  if (host === "mcsim") return { io: simulatedBoard(now).io, source: "simulated" };
  return { io: absentIO(), source: "absent" };
}

/** An IOProvider whose every constructor throws an Error with `reason` "no_io", naming the bus. */
export function absentIO(): IOProvider {
  const missing = (bus: string) =>
    class {
      constructor() {
        throw Object.assign(new Error(`no ECMA-419 ${bus} on this build`), { reason: "no_io" });
      }
    } as unknown as new (options: unknown) => never;
  return {
    I2C: missing("I2C"),
    Digital: missing("Digital"),
    Analog: missing("Analog"),
    PWM: missing("PWM"),
    i2cDefault: { data: -1, clock: -1 },
  };
}
