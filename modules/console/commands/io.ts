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
      summary: "test an actuator by hand for a while (min on/off times apply)",
      usage: "<actuator> <value> [for <s>] | <actuator> release",
      details: "Relays and Modbus coils: on or off. PWM: 0..100 (%). Modbus registers: a number within act.<name>.min..max. The console holds the output for <s> seconds (default act.<name>.test_s), then it goes back to whoever held it before; \"release\" ends the test now. An interlock or failsafe holding the output refuses the test (ERR held). With no arguments: every output and who holds it.",
      run(args, reply) {
        if (args.length === 0) {
          for (const line of actuators.describe()) reply(line);
          return;
        }
        const name = args[0];
        if (args.length === 2 && args[1].toLowerCase() === "release") {
          actuators.config(name);
          if (!actuators.release(name, "console", "test ended")) throw new ConsoleError("usage", `${name} is not under a console test`);
        } else {
          if (args.length !== 2 && !(args.length === 4 && args[2].toLowerCase() === "for")) throw new ConsoleError("usage", "usage: act <actuator> <value> [for <s>] | act <actuator> release");
          const value = actuators.parse(name, args[1]);
          let seconds: number | undefined;
          if (args.length === 4) {
            seconds = Number(args[3]);
            if (!/^[0-9]{1,5}$/.test(args[3]) || seconds < 1 || seconds > 86_400) throw new ConsoleError("bad-value", `for: seconds must be 1..86400, got ${JSON.stringify(args[3].slice(0, 20))}`);
          }
          actuators.test(name, value, seconds);
        }
        reply(actuators.describe().find((d) => d.startsWith(`${name}=`)) ?? name);
      },
    },
  ];
}
