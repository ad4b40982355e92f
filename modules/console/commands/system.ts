/** `reboot`, `factory-reset` (confirmed) and `log <level>`. */
import { LOG_LEVELS, type Logger } from "../../log.js";
import type { LogLevel, Platform } from "../../platform.js";
import { ConsoleError } from "../console-error.js";
import type { ConsoleCommand } from "../console.js";

/** How long a bare `factory-reset` waits for its confirming second one. */
export const FACTORY_RESET_CONFIRM_MS = 30_000;

/** Delay between the OK of `reboot` and the restart, so the reply leaves the UART. */
const RESTART_DELAY_MS = 100;

export function systemCommands(platform: Platform, log: Logger, eraseConfig: () => void): ConsoleCommand[] {
  let armedAt: number | undefined;
  const restartSoon = () => platform.timers.once(() => platform.system.restart(), RESTART_DELAY_MS);
  return [
    {
      name: "reboot",
      summary: "restart the node (unsaved edits are lost)",
      usage: "",
      run(args, reply) {
        if (args.length > 0) throw new ConsoleError("usage", "reboot takes no arguments");
        reply("restarting");
        restartSoon();
      },
    },
    {
      name: "factory-reset",
      summary: "erase the config and restart (asks for confirmation)",
      usage: "[yes]",
      details: `Type "factory-reset yes", or "factory-reset" twice within ${FACTORY_RESET_CONFIRM_MS / 1000} s.`,
      run(args, reply) {
        if (args.length > 1 || (args.length === 1 && args[0] !== "yes")) throw new ConsoleError("usage", "usage: factory-reset [yes]");
        const now = platform.clock.monotonic();
        const confirmed = args[0] === "yes" || (armedAt !== undefined && now - armedAt <= FACTORY_RESET_CONFIRM_MS);
        if (!confirmed) {
          armedAt = now;
          throw new ConsoleError("confirm", `this erases the whole config; type "factory-reset yes" (or factory-reset again within ${FACTORY_RESET_CONFIRM_MS / 1000} s)`);
        }
        armedAt = undefined;
        eraseConfig();
        log.warn("config", "factory reset: config erased");
        reply("config erased; restarting with factory defaults");
        restartSoon();
      },
    },
    {
      name: "log",
      summary: "show or set the log level (live, not saved: set log.level to keep it)",
      usage: `[${LOG_LEVELS.join("|")}]`,
      run(args, reply) {
        if (args.length > 1) throw new ConsoleError("usage", `usage: log [${LOG_LEVELS.join("|")}]`);
        if (args.length === 1) {
          const level = args[0].toLowerCase();
          if (!(LOG_LEVELS as readonly string[]).includes(level)) throw new ConsoleError("bad-value", `log level must be one of ${LOG_LEVELS.join(", ")}, got ${JSON.stringify(args[0].slice(0, 20))}`);
          log.level = level as LogLevel;
        }
        reply(`log level ${log.level}`);
      },
    },
  ];
}
