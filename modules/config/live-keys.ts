import type { Actuators } from "../io/actuators.js";
import type { Logger } from "../log.js";
import type { LogLevel } from "../platform.js";
import type { Batcher } from "../telemetry/batcher.js";
import type { ConfigService } from "./config-service.js";
import type { NodeConfig } from "./node-config.js";

/** The running parts that live keys reach. */
export interface LiveParts {
  log: Logger;
  batcher: Batcher;
  actuators: Actuators;
  /** The NodeConfig this boot runs with: kept in step (status, birth). */
  running: NodeConfig;
  /** Publishes the birth again (it carries the site). */
  publishBirth(): void;
}

/**
 * Connects every live key of the schema (those without `restart`) to the
 * part it changes, through `ConfigService.watch`: `log.level` → the logger;
 * `node.site` → a new birth; `telemetry.batch_size` / `telemetry.max_interval`
 * → the batcher; `act.*.min_on_s` / `act.*.min_off_s` → the actuator.
 * `mqtt.remote_admin` needs no listener: `applyRemote` reads the saved value
 * at each command. Values arrive validated; an actuator that is not running
 * (created since boot: its type needs a restart) is left alone.
 */
export function watchLiveKeys(config: ConfigService, parts: LiveParts): void {
  const { log, batcher, actuators, running } = parts;
  config.watch("log.level", (_key, value) => {
    log.level = String(value ?? "info") as LogLevel;
  });
  config.watch("node.site", (_key, value) => {
    running.site = String(value ?? "");
    parts.publishBirth();
  });
  config.watch("telemetry.batch_size", (_key, value) => {
    running.telemetry.batchSize = Number(value);
    batcher.configure({ batchSize: running.telemetry.batchSize });
  });
  config.watch("telemetry.max_interval", (_key, value) => {
    running.telemetry.maxAgeMs = Number(value) * 1000;
    batcher.configure({ maxAgeMs: running.telemetry.maxAgeMs });
  });
  const retime = (field: "minOnS" | "minOffS") => (key: string, value: unknown) => {
    const name = key.split(".")[1];
    if (value === undefined || !actuators.names().includes(name)) return;
    actuators.retime(name, { [field]: Number(value) });
    const entry = running.actuators?.find((a) => a.name === name);
    if (entry) entry[field] = Number(value);
  };
  config.watch("act.*.min_on_s", retime("minOnS"));
  config.watch("act.*.min_off_s", retime("minOffS"));
}
