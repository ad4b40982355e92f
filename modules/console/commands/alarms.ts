import type { ActiveAlarm } from "../../edge/channel-alarms.js";
import { describeAlarms } from "../../edge/alarms.js";
import { ConsoleError } from "../console-error.js";
import type { ConsoleCommand } from "../console.js";

/** `alarms`: the active channel alarms (ch.<name>.alarm), one per line, or `no active alarms`. */
export function alarmsCommand(active: () => ActiveAlarm[], now: () => number): ConsoleCommand {
  return {
    name: "alarms",
    summary: "list the active channel alarms",
    usage: "",
    details: "Each line: channel, type (hh, high, low, ll, rate, bad), the value that raised it, its limit and how long it stands. Alarms are set with ch.<name>.alarm.",
    run(args, reply) {
      if (args.length > 0) throw new ConsoleError("usage", "alarms takes no arguments");
      const lines = describeAlarms(active(), now());
      if (lines.length === 0) reply("no active alarms");
      for (const line of lines) reply(line);
    },
  };
}
