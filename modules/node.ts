import { Encoder } from "cbor-x/encode";
import { BrokerFallback } from "./config/broker-fallback.js";
import { ConfigService } from "./config/config-service.js";
import { type NodeConfig } from "./config/node-config.js";
import { configCommands } from "./console/commands/config.js";
import { ioCommands } from "./console/commands/io.js";
import { systemCommands } from "./console/commands/system.js";
import { Actuators } from "./io/actuators.js";
import { helpCommand } from "./console/commands/help.js";
import { statusCommand } from "./console/commands/status.js";
import { versionCommand } from "./console/commands/version.js";
import { Console } from "./console/console.js";
import { masksSecret } from "./console/secret-mask.js";
import { Counters } from "./counters.js";
import { Channels, type Reading } from "./io/channels.js";
import { Logger } from "./log.js";
import { encodeBirth } from "./mqtt/birth.js";
import { CommandHandler, encodeResponse } from "./mqtt/commands.js";
import { MqttSession, type SessionOptions } from "./mqtt/session.js";
import { nodeTopics } from "./mqtt/topics.js";
import { STORAGE_VALUE_MAX, type Platform } from "./platform.js";
import { Batcher } from "./telemetry/batcher.js";
import { Forwarder, type ForwarderOptions } from "./telemetry/forwarder.js";
import { Outbox, type OutboxOptions } from "./telemetry/outbox.js";
import { describeLosses, outboxLosses } from "./telemetry/outbox-losses.js";
import { encodeTelemetryPack, packLimit as packLimitFor, telemetryPackBound } from "./telemetry/telemetry-pack.js";
import { nextBootCount } from "./util/boot-count.js";
import { utf8Length } from "./util/utf8.js";
import { statusReport } from "./status-report.js";
import { FIRMWARE_VERSION } from "./version.js";

/** A running node, as its host sees it. */
export interface NodeHandle {
  readonly nodeId: string;
  readonly bootId: string;
  /** The config service: staged edits, saves, and `applyRemote` for MQTT config commands. */
  readonly config: ConfigService;
  /** The outputs; `actuators.set(name, value)` is what console `act` and remote commands call. */
  readonly actuators: Actuators;
  /** The node's event sink: logs, and publishes a CBOR map to `.../evt` (queued while offline). */
  events(kind: string, detail: string): void;
  /** Publishes retained `offline`, closes the MQTT session, stops sampling. */
  stop(): Promise<void>;
}

/**
 * Tunables of the uplink that are not config keys (yet); the simulator sets
 * them from test flags. Defaults: OUTBOX_DEFAULTS, FORWARDER_DEFAULTS,
 * `Backoff` (1 s base, 60 s cap), and 1,024 bytes for `maxPacketBytes`.
 */
export interface UplinkOptions {
  outbox?: Partial<OutboxOptions>;
  forwarder?: Partial<ForwarderOptions>;
  session?: SessionOptions;
  /** Largest MQTT packet the node sends; telemetry packs close early to stay under it. */
  maxPacketBytes?: number;
}

/** Default `UplinkOptions.maxPacketBytes`. */
export const DEFAULT_MAX_PACKET = 1024;
/** How often the outbox checks whether its RAM tail must go to flash. */
const OUTBOX_TICK_MS = 1000;

/**
 * Bytes of storage kept for the records beside the outbox: config A/B,
 * broker fallback A/B, boot count, outbox index A/B (at most 4,000 each).
 */
export const STORAGE_RESERVE_BYTES = 24_000;
/** Upper bound of outbox segments whatever the flash: each costs a few XS slots of bookkeeping in RAM. */
export const OUTBOX_SEGMENTS_MAX = 256;

/**
 * Outbox segments (4,000 bytes each, STORAGE_VALUE_MAX) that fit a storage
 * of `capacityBytes` (the port's hint) after STORAGE_RESERVE_BYTES, between
 * 1 and OUTBOX_SEGMENTS_MAX; undefined without a hint (the outbox default).
 */
export function outboxSegmentsFor(capacityBytes: number | undefined): number | undefined {
  if (capacityBytes === undefined || !Number.isFinite(capacityBytes)) return undefined;
  const segments = Math.floor((capacityBytes - STORAGE_RESERVE_BYTES) / STORAGE_VALUE_MAX);
  return Math.min(OUTBOX_SEGMENTS_MAX, Math.max(1, segments));
}

/** Events kept while the broker is away; beyond this the oldest go (counted in events_dropped). */
const EVENT_QUEUE = 8;

/** How `startNode` finds its config when not handed a NodeConfig. */
export interface StartOptions {
  /**
   * Values that replace stored ones for this boot only, never saved (the
   * simulator's --id and --broker). Precedence: overrides > saved config >
   * factory defaults. A bad override throws (TypeError/RangeError).
   */
  overrides?: Record<string, string>;
  /**
   * A build's own settings, used in place of the factory defaults until the
   * first save (the board's `mcconfig key=value` settings). Below the saved config.
   */
  defaults?: Record<string, string>;
}

/**
 * The composition root: wires channels → batcher → SenML-CBOR → outbox →
 * MQTT, and the console, on top of the platform port. The same call boots
 * the firmware on the ESP32 and in the simulator.
 */
export function startNode(platform: Platform, options: NodeConfig | StartOptions = {}, uplink: UplinkOptions = {}): NodeHandle {
  const log = new Logger(platform);
  const counters = new Counters();
  const bootId = randomHex(platform, 8);
  // Config: the newest good record in flash (else defaults), then the boot overrides.
  const configService = new ConfigService(platform.storage, platform.system.hardwareId());
  if (!("nodeId" in options) && options.defaults) configService.seedDefaults(options.defaults);
  if (!("nodeId" in options) && options.overrides) configService.setOverrides(options.overrides);
  // Remotely changed broker settings on trial: counted here, reverted before resolving when they failed too often.
  const fallback = "nodeId" in options ? undefined : new BrokerFallback(platform, configService, log, counters);
  fallback?.boot();
  const config: NodeConfig = "nodeId" in options ? options : configService.resolved();
  if (config.wifi?.ssid) platform.system.joinNetwork?.(config.wifi);
  if (config.logLevel) log.level = config.logLevel;
  const eventQueue: Uint8Array[] = [];
  const eventEncoder = new Encoder({ useRecords: false, tagUint8Array: false } as ConstructorParameters<typeof Encoder>[0]);
  const events = (kind: string, detail: string) => {
    counters.add("events");
    log.warn("event", `${kind}: ${detail}`);
    const payload = eventEncoder.encode({ kind, detail, boot: bootId, uptime: Math.floor(platform.clock.monotonic() / 1000) });
    if (session.publish(topics.evt, payload, 1) === false) {
      eventQueue.push(payload);
      if (eventQueue.length > EVENT_QUEUE) {
        eventQueue.shift();
        counters.add("events_dropped");
      }
    }
  };
  const flushEvents = () => {
    while (eventQueue.length > 0 && session.publish(topics.evt, eventQueue[0], 1) !== false) eventQueue.shift();
  };
  const topics = nodeTopics(config.mqtt.prefix, config.nodeId);
  const bootCount = nextBootCount(platform.storage);
  const maxPacketBytes = uplink.maxPacketBytes ?? DEFAULT_MAX_PACKET;
  const packLimit = packLimitFor(maxPacketBytes, utf8Length(topics.tele));
  if (packLimit < 64) throw new RangeError(`maxPacketBytes ${maxPacketBytes} leaves ${packLimit} bytes for a pack; need at least 64`);
  const fitted = outboxSegmentsFor(platform.storage.capacityBytes);
  const outbox = new Outbox(platform.storage, () => platform.clock.monotonic(), counters, log,
    fitted === undefined ? uplink.outbox : { maxSegments: fitted, ...uplink.outbox });
  let seq = 0;
  let reportedLoss = 0;
  const epochAtBoot = (): number | undefined => {
    const wall = platform.clock.wallTime();
    return wall === undefined ? undefined : wall - platform.clock.monotonic();
  };

  const session = new MqttSession(platform, log, counters, config.mqtt, config.mqtt.clientId || config.nodeId, topics, {
    onConnected: () => {
      publishBirth();
      const reverted = fallback?.connected();
      if (reverted !== undefined) events("config_reverted", reverted);
      reportLoss();
      flushEvents();
      forwarder.online();
    },
    onMessage: (topic, payload) => onCommand(topic, payload),
    onPuback: (id) => forwarder.ack(id),
    onWritable: () => forwarder.pump(),
    onDisconnected: () => forwarder.offline(),
  }, uplink.session);

  const forwarder = new Forwarder(platform, outbox, counters, (payload) => session.publish(topics.tele, payload, 1),
    (historical) => ({ historical, bootId, epochAtBoot: epochAtBoot() }), uplink.forwarder);

  function publishBirth(): void {
    const payload = encodeBirth({
      firmware: FIRMWARE_VERSION,
      host: platform.name,
      bootId,
      bootCount,
      resetReason: platform.system.resetReason(),
      clockSynced: platform.clock.wallTime() !== undefined,
      config,
      actuators: (config.actuators ?? []).map((a) => ({ name: a.name, kind: a.type, safe: a.safeState })),
      outbox: {
        depth: outbox.depth, segments: outbox.segments.used, maxSegments: outbox.segments.max,
        dropped: counters.get("outbox_dropped"), torn: counters.get("outbox_torn"),
      },
      maxPacketBytes,
    });
    if (session.publish(topics.birth, payload, 1, true) === false) counters.add("birth_not_sent");
  }

  /** Raises an `outbox_loss` event (once per change, at CONNACK and then each tick while connected) with the counts `status` shows. */
  function reportLoss(): void {
    const losses = outboxLosses(counters);
    const total = losses.dropped + losses.thinned + losses.torn + losses.rejected;
    if (total === reportedLoss) return;
    reportedLoss = total;
    events("outbox_loss", `${describeLosses(losses)} since boot`);
  }

  const commands = new CommandHandler({
    wallTime: () => platform.clock.wallTime(),
    ping: () => new Map<string, unknown>([["boot", bootId], ["up", Math.floor(platform.clock.monotonic() / 1000)], ["seq", seq], ["outbox", outbox.depth]]),
    read: (name) => {
      if (!channels.list().some((c) => c.name === name)) return { ok: false, code: "not_found", error: `no channel "${name.slice(0, 32)}"` };
      const reading = channels.read(name);
      if (!reading) return { ok: false, code: "failed", error: `${name}: ${channels.list().find((c) => c.name === name)?.lastFault ?? "read failed"}` };
      const at = epochAtBoot();
      return { ok: true, result: new Map<string, unknown>([["n", reading.channel], ["u", reading.unit], ["v", reading.value],
        [at === undefined ? "ut" : "t", at === undefined ? reading.at / 1000 : (at + reading.at) / 1000]]) };
    },
    actuate: (name, value) => {
      if (!actuators.names().includes(name)) return { ok: false, code: "not_found", error: `no actuator "${name.slice(0, 32)}"` };
      try {
        return { ok: true, result: actuators.set(name, String(value)) };
      } catch (error) {
        const code = (error as { code?: string }).code;
        return { ok: false, code: code === "bad-value" ? "out_of_range" : code === "min-on" || code === "min-off" ? "forbidden" : "failed", error: (error as Error).message };
      }
    },
    configure: (entries) => {
      const result = configService.applyRemote(entries);
      if (result.ok) return { ok: true, result: new Map<string, unknown>([["gen", result.generation], ["applied", result.applied], ["restart", result.restartNeeded]]) };
      const message = result.errors.map((e) => `${e.key}: ${e.message}`).join("; ");
      const code = result.errors.some((e) => e.code === "not_allowed") ? "not_allowed" : result.errors.some((e) => e.code === "forbidden") ? "forbidden" : "out_of_range";
      return { ok: false, code, error: message };
    },
    rebirth: () => {
      publishBirth();
      return { ok: true };
    },
    reboot: () => {
      log.warn("node", "reboot requested over MQTT");
      platform.timers.once(() => platform.system.restart(), 500);
      return { ok: true };
    },
  }, counters, log);

  function onCommand(topic: string, payload: Uint8Array): void {
    if (!topic.startsWith(topics.cmdPrefix)) {
      counters.add("mqtt_unexpected_topic");
      return;
    }
    const response = commands.handle(topic.slice(topics.cmdPrefix.length), payload);
    if (session.publish(topics.resp, encodeResponse(response), 1) === false) counters.add("cmd_resp_not_sent");
  }

  function packOf(readings: readonly Reading[], packSeq: number): Uint8Array {
    return encodeTelemetryPack({ nodeId: config.nodeId, bootId, seq: packSeq, epochAtBoot: epochAtBoot() }, readings);
  }

  function onBatch(readings: Reading[]): void {
    const payload = packOf(readings, ++seq);
    counters.add("tele_packs");
    if (payload.byteLength > packLimit) counters.add("tele_oversize");
    forwarder.add(payload);
  }

  /** Whether `readings` make one pack small enough: encoded only when the cheap bound says it might not be. */
  function fits(readings: readonly Reading[]): boolean {
    if (telemetryPackBound({ nodeId: config.nodeId, bootId }, readings) <= packLimit) return true;
    return packOf(readings, 0xffffffff).byteLength <= packLimit;
  }

  const channels = new Channels(platform, log, counters, config.channels);
  const batcher = new Batcher(platform, { ...config.telemetry, fits }, onBatch);
  const housekeeping = platform.timers.repeat(() => {
    try {
      outbox.tick();
      if (session.state === "connected") reportLoss();
    } catch (error) {
      counters.add("internal_errors");
      log.error("outbox", `tick failed: ${(error as Error).message}`);
    }
  }, OUTBOX_TICK_MS);

  const actuators = new Actuators(platform, log, config.actuators ?? []);
  configService.onSaved = (changed) => {
    counters.add("config_saves");
    if (changed.includes("log.level")) log.level = configService.resolved().logLevel ?? log.level;
    log.info("config", `saved generation ${configService.generation}: ${changed.length} key(s) changed`);
  };

  const console = new Console(platform.console, counters);
  log.interject = (write) => console.interject(write);
  console.masksAfter = masksSecret;
  console.register(helpCommand(console));
  console.register(versionCommand(platform.name));
  for (const command of configCommands(configService)) console.register(command);
  for (const command of systemCommands(platform, log, () => configService.factoryReset())) console.register(command);
  for (const command of ioCommands(channels, actuators)) console.register(command);
  console.register(
    statusCommand(() =>
      statusReport({ platform, nodeId: config.nodeId, bootId, session, outbox, config: configService, fallback, actuators, channels, counters }),
    ),
  );

  log.info("node", `fieldnode ${FIRMWARE_VERSION} on ${platform.name}, node ${config.nodeId}, boot ${bootId} (#${bootCount})`);
  actuators.start();
  channels.start((reading) => batcher.add(reading));
  session.start();
  console.start();
  if (configService.loaded.notes.length > 0) events("config", configService.loaded.notes.join("; "));

  return {
    nodeId: config.nodeId,
    bootId,
    config: configService,
    actuators,
    events,
    async stop() {
      actuators.stop();
      channels.stop();
      batcher.flush();
      batcher.stop();
      platform.timers.clear(housekeeping);
      fallback?.stop();
      forwarder.offline();
      outbox.persist();
      await session.stop();
      const lost = outbox.unpersisted; // still in RAM after persist(): the flash refused them
      log.info("node", `stopped (last seq ${seq}, ${outbox.depth - lost} pack(s) kept in the outbox${lost > 0 ? `, ${lost} lost: flash write failed` : ""})`);
    },
  };
}

function randomHex(platform: Platform, digits: number): string {
  let text = "";
  for (let i = 0; i < digits; i++) text += Math.floor(platform.system.random() * 16).toString(16);
  return text;
}
