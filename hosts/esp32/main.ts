import "./builtin-names.js";
import { boardByName } from "../../modules/boards/boards.js";
import TCP from "embedded:io/socket/tcp";
import TLSSocket from "./tls-socket.js";
import { startNode } from "../../modules/node.js";
import type { LogLevel, Platform } from "../../modules/platform.js";
import { readBoardConfig } from "./board-config.js";
import { boardIO } from "./board-io.js";
import { builtinIO } from "./builtin-io.js";
import { rs485Pins, withRs485Pins } from "./rs485-serial.js";
import { createClock } from "./clock.js";
import { createMqttTransport } from "./mqtt-transport.js";
import { PreferenceStorage } from "./preference-storage.js";
import { createSystemServices } from "./system-services.js";
import { createTimers } from "./timers.js";
import { createConsole, UART0_DEFAULTS } from "./uart-console.js";
import { WifiLink } from "./wifi-link.js";
import { espHttpClient } from "./http-client.js";
import { observedNetResolver } from "./net-resolver.js";
import { espOtaSlots } from "./ota-slots.js";
import { espLoopWatchdog, takeWatchdogMark } from "./loop-watchdog.js";

/**
 * Boots the board: builds the Platform from Moddable services and hands it
 * to the firmware's `startNode`. The XS host calls this default export once
 * the preloaded modules are linked.
 *
 * Order: clock and console first (so the technician sees the boot), then
 * Wi-Fi (when configured; it connects in the background), then the
 * firmware. Under mcsim, which has no ECMA-419 digital/analog/I2C, the IO
 * comes from the firmware's portable chip models (said in the birth); a
 * board never falls back to them (board-io.ts).
 */
export default function main(): void {
  const board = readBoardConfig();
  const clock = createClock();
  const console = createConsole(board.console === "uart0" ? UART0_DEFAULTS : undefined, (reason) => trace(`${reason}\n`));
  const log = (level: LogLevel, line: string): void => {
    if (console.kind === "uart") console.write(`${line}\n`);
    else trace(`${level === "error" ? "! " : ""}${line}\n`);
  };
  // The board's pin map with the RS-485 pins this build uses (fieldnode.rs485_* over the definition's).
  const definition = boardByName(board.boardName);
  const rs485 = rs485Pins(definition?.rs485, board.rs485);
  const timers = createTimers((error) => log("error", `timer callback threw: ${String(error)}`));

  // Wi-Fi is joined when the firmware asks, with the credentials of its config
  // (set at the console, or seeded from the build settings below).
  let link: WifiLink | undefined;
  const joinNetwork = (credentials: { ssid: string; password: string }): void => {
    if (board.network !== "wifi" || link) return;
    link = new WifiLink({
      ...credentials,
      sntpHost: board.sntpHost,
      onTimeSet: () => clock.markSynchronised(),
      log: (line) => log("info", line),
    });
    link.start();
  };
  const networkState = (): string => {
    if (board.network !== "wifi") return "up (host network)";
    return link ? link.state() : "down: no Wi-Fi configured (set wifi.ssid and wifi.password, save, reboot)";
  };

  const system = createSystemServices(networkState, takeWatchdogMark);
  const platform: Platform = {
    name: board.host,
    clock,
    timers,
    storage: new PreferenceStorage(undefined, board.nvsBytes),
    console,
    mqtt: createMqttTransport({ tcp: TCP, tls: TLSSocket }, (line) => log("warn", line)),
    io: boardIO(builtinIO(rs485), board.host, () => clock.monotonic()).io,
    system: { ...system, joinNetwork },
    board: definition && withRs485Pins(definition, rs485),
    log,
    // OTA (issue 11): the SDK's esp32/ota slots with ESP-IDF app rollback, downloads over the ECMA-419 HTTP client.
    ota: espOtaSlots(),
    // The firmware's main loop feeds it; the SDK's own loop feeds the ESP-IDF task watchdog (loop-watchdog.ts).
    watchdog: espLoopWatchdog(clock, timers, () => system.restart(), (line) => log("error", line)),
    http: espHttpClient({ tcp: TCP, tls: TLSSocket }, observedNetResolver({ onResolved() {}, onFailed() {}, isLive: () => true })),
  };
  if (!platform.board) log("warn", `board "${board.boardName}" (fieldnode.board) is not one of modules/boards: pins are not checked at save`);

  // Build settings stand in for factory defaults until a technician saves a config.
  const defaults: Record<string, string> = {};
  if (board.mqttUrl) defaults["mqtt.url"] = board.mqttUrl;
  if (board.wifiSsid) defaults["wifi.ssid"] = board.wifiSsid;
  if (board.wifiPassword) defaults["wifi.password"] = board.wifiPassword;
  if (board.mqttTlsCa) defaults["mqtt.tls_ca"] = board.mqttTlsCa;
  if (board.mqttTlsFingerprint) defaults["mqtt.tls_fingerprint"] = board.mqttTlsFingerprint;
  startNode(platform, { defaults });
}
