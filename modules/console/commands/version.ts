import { FIRMWARE_VERSION } from "../../version.js";
import { ConsoleError } from "../console-error.js";
import type { ConsoleCommand } from "../console.js";

/** `version`: firmware version and the platform it runs on. */
export function versionCommand(platformName: string): ConsoleCommand {
  return {
    name: "version",
    summary: "firmware version and platform",
    usage: "",
    run(args, reply) {
      if (args.length > 0) throw new ConsoleError("usage", "version takes no arguments");
      reply(`fieldnode ${FIRMWARE_VERSION} (${platformName})`);
    },
  };
}
