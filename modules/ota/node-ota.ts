/**
 * The node's OTA updater, wired to its config (`ota.*` keys, read live) and
 * its response topic: what `startNode` calls, so that the composition root
 * only adds three lines.
 */
import type { ConfigService } from "../config/config-service.js";
import type { Counters } from "../counters.js";
import type { Logger } from "../log.js";
import type { CommandResponse } from "../mqtt/commands.js";
import type { Platform } from "../platform.js";
import { FIRMWARE_VERSION } from "../version.js";
import { OtaUpdater } from "./ota-updater.js";

/** The running firmware's version: the slot's header version where the host knows it (the simulator), else this build's. */
export function runningVersion(platform: Platform): string {
  return platform.ota?.runningVersion?.() ?? FIRMWARE_VERSION;
}

/** Builds the node's `OtaUpdater` and runs its boot step (confirm timer, report of the last update). */
export function nodeOta(platform: Platform, log: Logger, counters: Counters, config: ConfigService,
  event: (kind: string, detail: string) => void, respond: (response: CommandResponse) => number | false): OtaUpdater {
  const value = (key: string) => {
    const view = config.get(key);
    return view.override ?? view.value;
  };
  const updater = new OtaUpdater({
    platform, log, counters, event, respond, runningVersion: runningVersion(platform),
    settings: () => ({
      key: String(value("ota.key") ?? ""),
      confirmS: Number(value("ota.confirm_s") ?? 120),
      stallS: Number(value("ota.stall_s") ?? 30),
      allowDowngrade: value("ota.allow_downgrade") === true,
    }),
  });
  updater.boot();
  return updater;
}
