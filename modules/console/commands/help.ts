import { ConsoleError } from "../console-error.js";
import type { Console, ConsoleCommand } from "../console.js";

/** `help [command]`: lists commands, or shows one command's usage and details. */
export function helpCommand(console: Console): ConsoleCommand {
  return {
    name: "help",
    summary: "list commands, or explain one",
    usage: "[command]",
    run(args, reply) {
      if (args.length > 1) throw new ConsoleError("usage", "usage: help [command]");
      if (args.length === 1) {
        const command = console.command(args[0].toLowerCase());
        if (!command) throw new ConsoleError("unknown-command", `no command "${args[0]}"; type help for the list`);
        reply(`${command.name} ${command.usage}`.trimEnd());
        reply(`  ${command.summary}`);
        if (command.details) for (const line of command.details.split("\n")) reply(`  ${line}`);
        return;
      }
      const commands = console.commands();
      const width = Math.max(...commands.map((c) => `${c.name} ${c.usage}`.length));
      for (const c of commands) reply(`${`${c.name} ${c.usage}`.padEnd(width)}  ${c.summary}`);
    },
  };
}
