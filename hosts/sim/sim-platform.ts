import { ESP32_DEVKITC } from "../../modules/boards/esp32-devkitc.js";
import { createHash, randomInt } from "node:crypto";
import { hostname } from "node:os";
import type { ConsolePort, HttpClient, LogLevel, MqttTransport, OtaSlots, Platform, Storage } from "../../modules/platform.js";
import { simulatedBoard, type SimulatedBoard } from "../../modules/io/models/index.js";
import { VirtualTime } from "./virtual-time.js";
import { simulatedRs485 } from "../../modules/io/models/simulated-rs485.js";
import type { RS485BusModel } from "../../modules/io/models/rs485-bus-model.js";
import { nodeSerialClass } from "./serial-port.js";
import { simWatchdog } from "./sim-watchdog.js";

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
  /** Virtual time runs this many times faster than real time (--speed; default 1). */
  speed?: number;
  /** `--serial PATH`: the RS-485 port is this serial device or pty instead of the simulated meter and drive. */
  serialPath?: string;
  /** The simulated RS-485 bus (default: a fresh one with the default meter and drive); one for the whole run keeps the slaves' state across reboots. */
  rs485?: RS485BusModel;
  /** OTA: the firmware slots (file-ota.ts) and the HTTP client (node-http.ts). */
  ota?: OtaSlots;
  http?: HttpClient;
  /** Called with "watchdog" when the firmware's main loop stalls (sim-watchdog.ts); absent: no watchdog (the fleet). */
  onWatchdogReset?: (reason: string) => void;
  /** The board's signal seed (default: random) and the hardware id (default simHardwareId()): a fleet gives each node its own. */
  seed?: number;
  hardwareId?: string;
}

/** A simulated hardware id, stable for one computer: "sim-" and 6 hex digits of the host name's hash. */
export function simHardwareId(): string {
  return `sim-${createHash("sha256").update(hostname()).digest("hex").slice(0, 6)}`;
}

/**
 * Builds the Platform of one boot for Node.js: virtual time (`time`, the
 * host's clock × `--speed`, hosts/sim/virtual-time.ts) for the clock,
 * timers and wall time, the monotonic clock counting from this boot; the
 * given flash, console and MQTT transport; and the simulated `board` with
 * its chip models. The board and `time` outlive a reboot, as a machine does;
 * without them a fresh board and clock are made.
 */
export function createSimPlatform(parts: SimPlatformParts & { time?: VirtualTime; board?: SimulatedBoard }): { platform: Platform; board: SimulatedBoard; time: VirtualTime } {
  const time = parts.time ?? new VirtualTime({ speed: parts.speed ?? 1 });
  const bootAt = time.monotonic();
  const monotonic = () => time.monotonic() - bootAt;
  const board = parts.board ?? simulatedBoard(() => time.monotonic(), parts.seed ?? randomInt(1, 2 ** 31));
  const syncAfter = parts.clockSyncDelayMs ?? 0;
  const clock = { monotonic, wallTime: () => (monotonic() < syncAfter ? undefined : time.wallTime()) };
  const platform: Platform = {
    name: "sim",
    clock,
    timers: time,
    storage: parts.storage,
    console: parts.console,
    mqtt: parts.mqtt,
    io: { ...board.io, Serial: parts.serialPath ? nodeSerialClass(parts.serialPath) : (parts.rs485 ?? simulatedRs485(time, () => time.monotonic())).serialClass() },
    board: ESP32_DEVKITC,
    system: {
      hardwareId: parts.hardwareId === undefined ? simHardwareId : () => parts.hardwareId!,
      resetReason: () => parts.resetReason,
      restart: parts.restart,
      random: Math.random,
      freeMemory: () => undefined,
      networkState: () => "up (host network)",
    },
    log: parts.log,
    ...(parts.ota ? { ota: parts.ota } : {}),
    ...(parts.http ? { http: parts.http } : {}),
    ...(parts.onWatchdogReset ? { watchdog: simWatchdog(clock, time, (line) => parts.log("error", line), parts.onWatchdogReset) } : {}),
  };
  return { platform, board, time };
}
