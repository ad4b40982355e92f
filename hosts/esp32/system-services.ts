/// <reference path="./moddable-extras.d.ts" />
import Instrumentation from "instrumentation";
import Modules from "modules";
import Net from "net";
import type { SystemServices } from "../../modules/platform.js";

/** ESP-IDF reset reasons (Moddable's labels) as the port names them. */
const RESET_REASONS: Readonly<Record<string, string>> = Object.freeze({
  "Power-On": "power-on",
  "External Pin": "power-on",
  Software: "software",
  Panic: "panic",
  "Interrupt WDT": "watchdog",
  "Task WDT": "watchdog",
  "Other WDT": "watchdog",
  Brownout: "brownout",
});

/**
 * System services of the board:
 * - `hardwareId`: the station MAC from `Net.get("MAC")`, lower-case hex
 *   without colons ("a4d18cdbc020"), or "mcsim" when there is none;
 * - `resetReason`: the ESP32 `resetReason` module when the build has it
 *   (looked up through `Modules`, so the mcsim build links without it),
 *   else "unknown"; a software restart that `watchdogMark()` (read once,
 *   at the first call) says the loop watchdog made is "watchdog";
 * - `restart`: `System.restart()` of the SDK's ECMA-419 `system` module
 *   (esp_restart on the ESP32); throws `Error` where the host has none
 *   (mcsim), so the console can answer ERR;
 * - `random`: `Math.random` (the ESP32's hardware RNG once radio is on),
 *   shifted modulo 1 by an offset taken from the clock at start: hosts whose
 *   `Math.random` is an unseeded `rand()` (mcsim) would otherwise give every
 *   boot the same boot id, which receivers use to tell boots apart;
 * - `freeMemory`: the "System Free Memory" instrument, when the build is
 *   instrumented;
 * - `networkState`: whatever `networkState` reports (the Wi-Fi link).
 */
export function createSystemServices(networkState: () => string, watchdogMark: () => boolean = () => false): SystemServices {
  let hardwareId: string | undefined;
  let reason: string | undefined;
  const freeMemoryIndex = instrumentIndex("System Free Memory");
  // A shift modulo 1 keeps the distribution uniform.
  const offset = (Date.now() % 1_000_003) / 1_000_003;
  return {
    hardwareId(): string {
      hardwareId ??= macId();
      return hardwareId;
    },
    resetReason(): string {
      if (reason === undefined) {
        const hardware = resetReason();
        reason = watchdogMark() && hardware === "software" ? "watchdog" : hardware;
      }
      return reason;
    },
    restart(): void {
      const system = (globalThis as { System?: { restart?: () => void } }).System;
      if (typeof system?.restart !== "function") throw new Error("restart is not available on this host");
      system.restart();
    },
    random: () => (Math.random() + offset) % 1,
    freeMemory(): number | undefined {
      if (freeMemoryIndex === undefined) return undefined;
      try {
        return Instrumentation.get(freeMemoryIndex);
      } catch {
        return undefined;
      }
    },
    networkState,
  };
}

function macId(): string {
  let mac: unknown;
  try {
    mac = Net.get("MAC");
  } catch {
    mac = undefined;
  }
  return typeof mac === "string" && mac.length > 0 ? mac.replaceAll(":", "").toLowerCase() : "mcsim";
}

function resetReason(): string {
  if (!Modules.has("resetReason")) return "unknown";
  const getResetReason = Modules.importNow("resetReason") as typeof import("resetReason").default;
  return RESET_REASONS[getResetReason().string] ?? "unknown";
}

function instrumentIndex(name: "System Free Memory"): number | undefined {
  try {
    return Instrumentation.map(name);
  } catch {
    return undefined;
  }
}
