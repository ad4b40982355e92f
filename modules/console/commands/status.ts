import { ConsoleError } from "../console-error.js";
import type { ConsoleCommand } from "../console.js";

/** `status`: health of the node as `key: value` lines, from the node's own report. */
export function statusCommand(report: () => [string, string][]): ConsoleCommand {
  return {
    name: "status",
    summary: "uptime, reset reason, network and MQTT state, queues, counters",
    usage: "",
    run(args, reply) {
      if (args.length > 0) throw new ConsoleError("usage", "status takes no arguments");
      for (const [key, value] of report()) reply(`${key}: ${value}`);
    },
  };
}
