import { ESP32_DEVKITC } from "../../modules/boards/esp32-devkitc.js";
import { createHash, randomInt } from "node:crypto";
import { hostname } from "node:os";
import type { ConsolePort, LogLevel, MqttTransport, Platform, Storage } from "../../modules/platform.js";
import { simulatedBoard, type SimulatedBoard } from "../../modules/io/models/index.js";
import { nodeTimers } from "./node-timers.js";

/** What the simulator's platform is built from. */
export interface SimPlatformParts {
  storage: Storage;
  console: ConsolePort;
  mqtt: MqttTransport;
  /** Why this boot happened ("power-on" first, "software" after a reboot command). */
  resetReason: string;
  /** Called when the firmware asks for a restart. */
  restart(): void;
  log(level: LogLevel, line: string): void;
  /** The wall clock reads "not synchronised" (undefined) for this many ms after boot, like SNTP on the board. */
  clockSyncDelayMs?: number;
}

/** A simulated hardware id, stable for one computer: "sim-" and 6 hex digits of the host name's hash. */
export function simHardwareId(): string {
  return `sim-${createHash("sha256").update(hostname()).digest("hex").slice(0, 6)}`;
}

/**
 * Builds the Platform for Node.js: real time and timers, the given flash,
 * console and MQTT transport, and a simulated board with chip models.
 */
export function createSimPlatform(parts: SimPlatformParts): { platform: Platform; board: SimulatedBoard } {
  const started = performance.now();
  const monotonic = () => performance.now() - started;
  const board = simulatedBoard(monotonic, randomInt(1, 2 ** 31));
  const platform: Platform = {
    name: "sim",
    clock: { monotonic, wallTime: () => (monotonic() < (parts.clockSyncDelayMs ?? 0) ? undefined : Date.now()) },
    timers: nodeTimers,
    storage: parts.storage,
    console: parts.console,
    mqtt: parts.mqtt,
    io: board.io,
    board: ESP32_DEVKITC,
    system: {
      hardwareId: simHardwareId,
      resetReason: () => parts.resetReason,
      restart: parts.restart,
      random: Math.random,
      freeMemory: () => undefined,
      networkState: () => "up (host network)",
    },
    log: parts.log,
  };
  return { platform, board };
}
