/** `read <channel>` and `act <actuator> <value>`: manual checks of the wiring. */
import { nearest } from "../../config/validate.js";
import type { Channels } from "../../io/channels.js";
import type { Actuators } from "../../io/actuators.js";
import { ConsoleError } from "../console-error.js";
import type { ConsoleCommand } from "../console.js";

export function ioCommands(channels: Channels, actuators: Actuators): ConsoleCommand[] {
  return [
    {
      name: "read",
      summary: "sample one channel now",
      usage: "<channel>",
      run(args, reply) {
        if (args.length !== 1) throw new ConsoleError("usage", "usage: read <channel>");
        const names = channels.list().map((c) => c.name);
        if (!names.includes(args[0])) {
          const near = nearest(args[0], names);
          throw new ConsoleError("unknown-channel", `no channel "${args[0].slice(0, 20)}"; ${near ? `did you mean "${near}"? ` : ""}channels: ${names.join(", ") || "none"}`);
        }
        const reading = channels.read(args[0]);
        if (!reading || reading.quality === "bad") {
          const state = channels.list().find((c) => c.name === args[0]);
          throw new ConsoleError("read-failed", `${args[0]}: bad:${reading?.reason ?? "sensor_fault"}${state?.lastFault ? ` (${state.lastFault})` : ""}`);
        }
        reply(`${reading.channel} = ${Number(reading.value.toFixed(3))} ${reading.unit}${reading.quality === "uncertain" ? ` (uncertain:${reading.reason})` : ""}`);
      },
    },
    {
      name: "act",
      summary: "drive an actuator by hand (min on/off times apply)",
      usage: "<actuator> <value>",
      details: "Relays: on or off. PWM: 0..100 (%).",
      run(args, reply) {
        if (args.length !== 2) throw new ConsoleError("usage", "usage: act <actuator> <value>");
        actuators.set(args[0], args[1]);
        reply(actuators.describe().find((d) => d.startsWith(`${args[0]}=`)) ?? args[0]);
      },
    },
  ];
}
