import { FIRMWARE_VERSION } from "../../version.js";
import { ConsoleError } from "../console-error.js";
import type { ConsoleCommand } from "../console.js";

/** `version`: firmware version (`running`: the slot's, after an OTA; default this build's) and the platform it runs on. */
export function versionCommand(platformName: string, running = FIRMWARE_VERSION): ConsoleCommand {
  return {
    name: "version",
    summary: "firmware version and platform",
    usage: "",
    run(args, reply) {
      if (args.length > 0) throw new ConsoleError("usage", "version takes no arguments");
      reply(`fieldnode ${running} (${platformName})`);
    },
  };
}
