/**
 * The broker fallback: a remote change of broker or credential keys (allowed
 * by `mqtt.remote_admin`) must not strand the node. The change arms a
 * fallback record holding the settings the node last connected with
 * (ConfigService.applyRemote). Every boot that runs on the new settings
 * counts itself and waits for a CONNACK; without one in time it saves the
 * previous settings back and restarts on them; once connected again it
 * reports a `config_reverted` event, once. A CONNACK on the new settings, or
 * a technician's console save of a broker key, drops the record.
 */
import type { Counters } from "../counters.js";
import type { Logger } from "../log.js";
import type { Platform, TimerHandle } from "../platform.js";
import type { ConfigService } from "./config-service.js";
import type { Fallback } from "./fallback-record.js";

/**
 * How long one boot on remotely changed broker settings may go without a
 * CONNACK before it reverts them and restarts: 5 minutes of uptime, enough
 * for Wi-Fi, DNS, TLS and several backoff rounds (cap 60 s) on a slow site.
 */
export const FALLBACK_AFTER_MS = 5 * 60_000;

/**
 * Boots on the new settings without a CONNACK after which the next boot
 * reverts at once: a node that keeps restarting (power, watchdog) before
 * FALLBACK_AFTER_MS runs out still comes back.
 */
export const FALLBACK_AFTER_BOOTS = 3;

/** Drives the fallback record through one boot. `boot()` first, `connected()` on every CONNACK. */
export class BrokerFallback {
  #platform: Pick<Platform, "timers" | "system">;
  #config: ConfigService;
  #log: Logger;
  #counters: Counters;
  #timer: TimerHandle | undefined;

  constructor(platform: Pick<Platform, "timers" | "system">, config: ConfigService, log: Logger, counters: Counters) {
    this.#platform = platform;
    this.#config = config;
    this.#log = log;
    this.#counters = counters;
  }

  /**
   * Call at boot before the config is resolved: counts a boot on trial
   * settings and starts the timer, or reverts at once after
   * FALLBACK_AFTER_BOOTS such boots (the caller then resolves the reverted
   * config, no restart needed). Does nothing while a boot-time override
   * replaces a broker key. Never throws.
   */
  boot(): void {
    const record = this.#config.fallback.value;
    if (record?.state !== "trial") return;
    if (this.#config.adminOverridden()) {
      this.#log.info("config", "broker settings overridden for this boot: the fallback waits for a boot on the saved ones");
      return;
    }
    const boots = record.boots + 1;
    if (boots > FALLBACK_AFTER_BOOTS) {
      this.#revert(record, `no CONNACK in ${FALLBACK_AFTER_BOOTS} boots`);
      return;
    }
    try {
      this.#config.fallback.write({ ...record, boots });
    } catch (error) {
      this.#fault("count", error);
    }
    this.#log.info("config", `trying remotely changed ${record.keys.join(", ")} (boot ${boots} of ${FALLBACK_AFTER_BOOTS}): back to the previous settings without a connection in ${FALLBACK_AFTER_MS / 1000} s`);
    this.#timer = this.#platform.timers.once(() => {
      this.#timer = undefined;
      const now = this.#config.fallback.value;
      if (now?.state === "trial" && this.#revert(now, `no CONNACK within ${FALLBACK_AFTER_MS / 1000} s`)) this.#platform.system.restart();
    }, FALLBACK_AFTER_MS);
  }

  /**
   * Call on every CONNACK. Confirms trial settings (drops the record), or,
   * after a revert, returns the `config_reverted` event detail (key names
   * and the reason, never values) to report; later calls return undefined.
   */
  connected(): string | undefined {
    this.#platform.timers.clear(this.#timer);
    this.#timer = undefined;
    const record = this.#config.fallback.value;
    if (!record) return undefined;
    try {
      this.#config.fallback.erase();
    } catch (error) {
      this.#fault("erase", error);
    }
    if (record.state === "trial") {
      this.#log.info("config", `remotely changed ${record.keys.join(", ")} confirmed by a CONNACK`);
      return undefined;
    }
    return `remote change of ${record.keys.join(", ")} reverted: ${record.why ?? "no CONNACK"}; back on the previous broker settings`;
  }

  /** A status line while a fallback is pending, else undefined. */
  describe(): string | undefined {
    const record = this.#config.fallback.value;
    if (!record) return undefined;
    if (record.state === "reverted") return `reverted ${record.keys.join(", ")} (${record.why ?? "no CONNACK"}); reported at the next connection`;
    return `trying ${record.keys.join(", ")}: boot ${record.boots} of ${FALLBACK_AFTER_BOOTS}${this.#timer ? `, reverts after ${FALLBACK_AFTER_MS / 1000} s without a connection` : ""}`;
  }

  /** Stops the timer (node stop). */
  stop(): void {
    this.#platform.timers.clear(this.#timer);
    this.#timer = undefined;
  }

  /** Saves the previous settings and marks the record reverted; false when that failed (the record is left as it was). */
  #revert(record: Fallback, why: string): boolean {
    try {
      this.#config.revertAdmin(record.previous);
      this.#config.fallback.write({ ...record, state: "reverted", why });
    } catch (error) {
      this.#fault("revert", error);
      return false;
    }
    this.#counters.add("config_reverts");
    this.#log.warn("config", `remotely changed ${record.keys.join(", ")}: ${why}; reverted to the previous settings`);
    return true;
  }

  #fault(what: string, error: unknown): void {
    this.#counters.add("internal_errors");
    this.#log.error("config", `broker fallback ${what} failed: ${(error as Error).message}`);
  }
}
