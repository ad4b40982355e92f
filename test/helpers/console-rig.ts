/**
 * A console wired like the node's (config, system, io commands) on an
 * in-memory platform, without MQTT: for end-to-end command tests, the fuzz
 * run and the XS run. XS-safe (no Node built-ins).
 */
import { ConfigService } from "../../modules/config/config-service.js";
import { configCommands } from "../../modules/console/commands/config.js";
import { helpCommand } from "../../modules/console/commands/help.js";
import { ioCommands } from "../../modules/console/commands/io.js";
import { systemCommands } from "../../modules/console/commands/system.js";
import { versionCommand } from "../../modules/console/commands/version.js";
import { Console } from "../../modules/console/console.js";
import { Counters } from "../../modules/counters.js";
import { Actuators } from "../../modules/io/actuators.js";
import { Channels } from "../../modules/io/channels.js";
import { Logger } from "../../modules/log.js";
import { CapturePort, memoryPlatform, MemoryStorage } from "./memory-platform.js";
import { masksSecret } from "../../modules/console/secret-mask.js";

export const RIG_SECRETS = { "wifi.password": "WIFI-s3cret-xyzzy", "mqtt.password": "MQTT-s3cret-plugh" };

/** Flash holding a saved config with secrets, a relay (min on/off 10 s) and a PWM fan. */
export function rigStorage(): MemoryStorage {
  const storage = new MemoryStorage();
  const service = new ConfigService(storage, "test-node");
  for (const [k, v] of Object.entries(RIG_SECRETS)) service.set(k, v);
  for (const [k, v] of [["act.pump.type", "relay"], ["act.pump.pin", "5"], ["act.pump.min_on_s", "10"], ["act.pump.min_off_s", "10"], ["act.fan.type", "pwm"], ["act.fan.pin", "6"]]) service.set(k, v);
  service.save();
  return storage;
}

export function consoleRig(options: { storage?: MemoryStorage; interactive?: boolean } = {}) {
  const port = new CapturePort(options.interactive ?? false);
  const mp = memoryPlatform({ storage: options.storage ?? rigStorage(), port });
  const { platform } = mp;
  const log = new Logger(platform);
  const counters = new Counters();
  const config = new ConfigService(platform.storage, "test-node");
  const resolved = config.resolved();
  const channels = new Channels(platform, log, counters, resolved.channels);
  channels.start(() => {});
  const actuators = new Actuators(platform, log, resolved.actuators ?? []);
  actuators.start();
  const console = new Console(port, counters);
  console.masksAfter = masksSecret;
  console.register(helpCommand(console));
  console.register(versionCommand(platform.name));
  for (const c of configCommands(config)) console.register(c);
  for (const c of systemCommands(platform, log, () => config.factoryReset())) console.register(c);
  for (const c of ioCommands(channels, actuators)) console.register(c);
  console.start();
  port.take();
  return {
    mp, port, config, actuators, log, console,
    /** Types one line and returns everything the console wrote back. */
    run(line: string): string {
      port.type(`${line}\r\n`);
      return port.take();
    },
  };
}
