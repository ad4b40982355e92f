import "./builtin-names.js";
import TCP from "embedded:io/socket/tcp";
import { defaultConfig } from "../../modules/config/node-config.js";
import { simulatedBoard } from "../../modules/io/models/index.js";
import { startNode } from "../../modules/node.js";
import type { LogLevel, Platform } from "../../modules/platform.js";
import { readBoardConfig } from "./board-config.js";
import { builtinIO } from "./builtin-io.js";
import { createClock } from "./clock.js";
import { createMqttTransport } from "./mqtt-transport.js";
import { PreferenceStorage } from "./preference-storage.js";
import { createSystemServices } from "./system-services.js";
import { createTimers } from "./timers.js";
import { createConsole, UART0_DEFAULTS } from "./uart-console.js";
import { WifiLink } from "./wifi-link.js";

/**
 * Boots the board: builds the Platform from Moddable services and hands it
 * to the firmware's `startNode`. The XS host calls this default export once
 * the preloaded modules are linked.
 *
 * Order: clock and console first (so the technician sees the boot), then
 * Wi-Fi (when configured; it connects in the background), then the
 * firmware. Under mcsim, which has no ECMA-419 digital/analog/I2C, the IO
 * comes from the firmware's portable chip models.
 */
export default function main(): void {
  const board = readBoardConfig();
  const clock = createClock();
  const console = createConsole(board.console === "uart0" ? UART0_DEFAULTS : undefined, (reason) => trace(`${reason}\n`));
  const log = (level: LogLevel, line: string): void => {
    if (console.kind === "uart") console.write(`${line}\n`);
    else trace(`${level === "error" ? "! " : ""}${line}\n`);
  };
  const timers = createTimers((error) => log("error", `timer callback threw: ${String(error)}`));

  let networkState = (): string => "up (host network)";
  if (board.network === "wifi") {
    if (board.wifiSsid) {
      const link = new WifiLink({
        ssid: board.wifiSsid,
        password: board.wifiPassword,
        sntpHost: board.sntpHost,
        onTimeSet: () => clock.markSynchronised(),
        log: (line) => log("info", line),
      });
      link.start();
      networkState = () => link.state();
    } else {
      networkState = () => "down: no Wi-Fi configured (build with wifi.ssid=...)";
    }
  }

  const platform: Platform = {
    name: board.host,
    clock,
    timers,
    storage: new PreferenceStorage(),
    console,
    mqtt: createMqttTransport({ tcp: TCP }, (line) => log("warn", line)),
    io: builtinIO() ?? simulatedBoard(() => clock.monotonic()).io,
    system: createSystemServices(() => networkState()),
    log,
  };

  const config = defaultConfig(platform.system.hardwareId());
  if (board.mqttUrl) config.mqtt.url = board.mqttUrl;
  startNode(platform, config);
}
