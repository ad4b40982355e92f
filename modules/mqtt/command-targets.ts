import type { ConfigService } from "../config/config-service.js";
import { errorCode, mqttCode } from "../errors.js";
import type { Actuators } from "../io/actuators.js";
import type { Channels } from "../io/channels.js";
import { qualityText } from "../io/reading.js";
import type { Logger } from "../log.js";
import type { Platform } from "../platform.js";
import type { CommandOutcome, CommandTargets } from "./commands.js";

/** Delay between answering `reboot` and restarting, so the response leaves first. */
export const REBOOT_DELAY_MS = 500;

/** The parts of the node that MQTT commands act on. */
export interface CommandDeps {
  platform: Platform;
  log: Logger;
  bootId: string;
  channels: Channels;
  actuators: Actuators;
  config: ConfigService;
  /** The last telemetry seq made, and the outbox depth (for `ping`). */
  lastSeq(): number;
  outboxDepth(): number;
  /** Wall-clock ms at monotonic 0, or undefined before the clock is synchronised. */
  epochAtBoot(): number | undefined;
  /** Publishes the birth again (`rebirth`). */
  publishBirth(): void;
}

/**
 * Adapts the node's parts to `CommandTargets` (modules/mqtt/commands.ts):
 * each target validates through the part it calls and turns a thrown error
 * into the MQTT code of the one vocabulary (modules/errors.ts: `bad-value` →
 * `out_of_range`, `min-on` → `forbidden`, `storage` → `storage`, ...). Names
 * from the payload appear in messages clipped to 32 characters; the logger
 * escapes them. Never throws.
 */
export function commandTargets(deps: CommandDeps): CommandTargets {
  const { platform, channels, actuators } = deps;
  const fail = (error: unknown): CommandOutcome => ({ ok: false, code: mqttCode(errorCode(error)), error: (error as Error)?.message ?? String(error) });
  return {
    wallTime: () => platform.clock.wallTime(),
    ping: () => new Map<string, unknown>([["boot", deps.bootId], ["up", Math.floor(platform.clock.monotonic() / 1000)], ["seq", deps.lastSeq()], ["outbox", deps.outboxDepth()]]),
    read: (name) => {
      const state = channels.list().find((c) => c.name === name);
      if (!state) return { ok: false, code: mqttCode("unknown-channel"), error: `no channel "${name.slice(0, 32)}"` };
      const reading = channels.read(name);
      // A bad value is never reported as a number: the answer names its reason instead.
      if (!reading || reading.quality === "bad") return { ok: false, code: mqttCode("read-failed"), error: `${name}: bad:${reading?.reason ?? "sensor_fault"} ${state.lastFault ?? ""}`.trim() };
      const at = deps.epochAtBoot();
      const result = new Map<string, unknown>([["n", reading.channel], ["u", reading.unit], ["v", reading.value],
        [at === undefined ? "ut" : "t", at === undefined ? reading.at / 1000 : (at + reading.at) / 1000]]);
      if (reading.quality !== "good") result.set("q", qualityText(reading));
      return { ok: true, result };
    },
    actuate: (name, value) => {
      if (!actuators.names().includes(name)) return { ok: false, code: mqttCode("unknown-actuator"), error: `no actuator "${name.slice(0, 32)}"` };
      try {
        return { ok: true, result: actuators.set(name, value, "remote") };
      } catch (error) {
        return fail(error);
      }
    },
    configure: (entries) => {
      const result = deps.config.applyRemote(entries);
      if (result.ok) return { ok: true, result: new Map<string, unknown>([["gen", result.generation], ["applied", result.applied], ["restart", result.restartNeeded]]) };
      const message = result.errors.map((e) => (e.key ? `${e.key}: ${e.message}` : e.message)).join("; ");
      const codes = result.errors.map((e) => mqttCode(e.code ?? "bad-value"));
      const code = (["storage", "not_allowed", "forbidden"] as const).find((c) => codes.includes(c)) ?? "out_of_range";
      return { ok: false, code, error: message };
    },
    rebirth: () => {
      deps.publishBirth();
      return { ok: true };
    },
    reboot: () => {
      deps.log.warn("node", "reboot requested over MQTT");
      platform.timers.once(() => platform.system.restart(), REBOOT_DELAY_MS);
      return { ok: true };
    },
  };
}
