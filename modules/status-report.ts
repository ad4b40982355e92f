import type { BrokerFallback } from "./config/broker-fallback.js";
import type { ConfigService } from "./config/config-service.js";
import type { Counters } from "./counters.js";
import type { Actuators } from "./io/actuators.js";
import type { Channels } from "./io/channels.js";
import type { MqttSession } from "./mqtt/session.js";
import type { Platform } from "./platform.js";
import type { Outbox } from "./telemetry/outbox.js";
import { describeLosses, outboxLosses } from "./telemetry/outbox-losses.js";
import { FIRMWARE_VERSION } from "./version.js";

/** What the `status` report reads from the running node. */
export interface StatusSources {
  platform: Platform;
  nodeId: string;
  bootId: string;
  session: MqttSession;
  outbox: Outbox;
  config: ConfigService;
  fallback: BrokerFallback | undefined;
  actuators: Actuators;
  channels: Channels;
  counters: Counters;
  /** The flash's health (`ok` or the last refused write); absent: not shown. */
  storage?: { describe(): string };
  /** Active channel alarms; absent: not shown. */
  alarms?: { count: number };
  /** The main loop's watchdog (util/loop-watchdog.ts); absent: not shown. */
  watchdog?: { describe(): string };
}

/**
 * The node's health as `key: value` lines for the console's `status`:
 * identity, uptime and reset reason, clock, network and MQTT state (with the
 * last failure's stage), outbox fill and losses, config source, I/O, counters.
 */
export function statusReport(s: StatusSources): [string, string][] {
  const { platform, outbox, counters } = s;
  const fallback = s.fallback?.describe();
  return [
    ["node", s.nodeId],
    ["firmware", FIRMWARE_VERSION],
    ["boot", s.bootId],
    ["uptime", `${Math.floor(platform.clock.monotonic() / 1000)} s`],
    ["reset reason", platform.system.resetReason()],
    ...(s.watchdog ? [["watchdog", s.watchdog.describe()] as [string, string]] : []),
    ["clock", platform.clock.wallTime() === undefined ? "not synchronised (uptime stamps)" : "synchronised"],
    ["network", platform.system.networkState()],
    ["mqtt", s.session.describe()],
    ["outbox", `${outbox.depth} packs, ${outbox.segments.used}/${outbox.segments.max} segments on flash, ${outbox.unpersisted} in RAM only${outbox.level > 0 ? `, new packs 1 in ${2 ** outbox.level} (full)` : ""}; ${describeLosses(outboxLosses(counters))}`],
    ...(s.storage ? [["storage", s.storage.describe()] as [string, string]] : []),
    ["config", configStatus(s.config)],
    ...(fallback !== undefined ? [["fallback", fallback] as [string, string]] : []),
    ["actuators", s.actuators.describe().join(", ") || "none"],
    ...(s.alarms ? [["alarms", `${s.alarms.count} active`] as [string, string]] : []),
    ["channels", s.channels.list().map((c) => `${c.name}=${c.last === undefined || c.quality === "bad" ? "-" : c.last.toFixed(2)} ${c.unit}${c.quality && c.quality !== "good" ? ` ${c.quality}:${c.reason}` : ""}${c.faults ? ` (${c.faults} faults)` : ""}`).join(", ")],
    ["counters", counters.entries().map(([k, v]) => `${k}=${v}`).join(" ") || "none"],
  ];
}

/** One status line about the config: where it came from, and problems found at boot. */
function configStatus(service: ConfigService): string {
  const { loaded } = service;
  const source = service.generation !== undefined ? `generation ${service.generation}` : "factory defaults (never saved)";
  const unsaved = service.unsavedKeys().length;
  const problems = loaded.notes.length > 0 ? `; at boot: ${loaded.notes.join("; ")}` : "";
  return `${source}${unsaved ? `, ${unsaved} unsaved change(s)` : ""}${problems}`;
}
