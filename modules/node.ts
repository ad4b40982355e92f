import { BrokerFallback } from "./config/broker-fallback.js";
import { ConfigService } from "./config/config-service.js";
import { watchLiveKeys } from "./config/live-keys.js";
import { type NodeConfig } from "./config/node-config.js";
import { configCommands } from "./console/commands/config.js";
import { modbusCommands } from "./console/commands/modbus.js";
import { ioCommands } from "./console/commands/io.js";
import { systemCommands } from "./console/commands/system.js";
import { Actuators } from "./io/actuators.js";
import { helpCommand } from "./console/commands/help.js";
import { statusCommand } from "./console/commands/status.js";
import { versionCommand } from "./console/commands/version.js";
import { Console, type ConsoleCommand } from "./console/console.js";
import { attachImprov } from "./console/improv.js";
import { checkBoardPins, pinKeyProblem } from "./boards/board-pins.js";
import { countResetReason } from "./util/reset-counts.js";
import { LoopWatchdog } from "./util/loop-watchdog.js";
import { masksSecret } from "./console/secret-mask.js";
import { Counters } from "./counters.js";
import { edgePipeline } from "./edge/edge-pipeline.js";
import { openModbusBus } from "./io/modbus/open-bus.js";
import { Alarms } from "./edge/alarms.js";
import { Rules } from "./edge/rules.js";
import { ReadingTaps, type TappedReading } from "./edge/reading-taps.js";
import { alarmsCommand } from "./console/commands/alarms.js";
import { Channels, type Reading } from "./io/channels.js";
import { describeQualityChange } from "./io/reading.js";
import { Logger } from "./log.js";
import { encodeBirth } from "./mqtt/birth.js";
import { commandTargets } from "./mqtt/command-targets.js";
import { CommandIntake } from "./mqtt/command-intake.js";
import { CommandHandler, encodeResponse } from "./mqtt/commands.js";
import { EventQueue } from "./mqtt/event-queue.js";
import { packTopic } from "./mqtt/pack-topic.js";
import { RetainedIdentity } from "./mqtt/retained-identity.js";
import { MqttSession, type SessionOptions } from "./mqtt/session.js";
import { nodeTopics } from "./mqtt/topics.js";
import type { Platform } from "./platform.js";
import { Batcher } from "./telemetry/batcher.js";
import { Forwarder, type ForwarderOptions } from "./telemetry/forwarder.js";
import { Outbox, type OutboxOptions } from "./telemetry/outbox.js";
import { outboxSegmentsFor } from "./telemetry/outbox-capacity.js";
import { BootEpoch } from "./telemetry/boot-epoch.js";
import { PackMaker } from "./telemetry/pack-maker.js";
import { describeLosses, outboxLosses } from "./telemetry/outbox-losses.js";
import { settleUplink } from "./telemetry/settle-uplink.js";
import { nextBootCount } from "./util/boot-count.js";
import { statusReport } from "./status-report.js";
import { StorageHealth } from "./storage-health.js";
import { nodeOta, runningVersion } from "./ota/node-ota.js";

/** A running node, as its host sees it. */
export interface NodeHandle {
  readonly nodeId: string;
  readonly bootId: string;
  /** The config service: staged edits, saves, and `applyRemote` for MQTT config commands. */
  readonly config: ConfigService;
  /** The outputs; `actuators.set(name, value)` is what console `act` and remote commands call. */
  readonly actuators: Actuators;
  /** The node's event sink: logs, and publishes a CBOR map to `.../evt` (queued while offline); `fields` join the map. */
  events(kind: string, detail: string, fields?: Record<string, string | number | boolean>): void;
  /** Adds a console command of the host's own (the simulator's `sim`); throws TypeError for a name already taken. */
  registerCommand(command: ConsoleCommand): void;
  /** Sends what the filters and the open telemetry batch hold; returns how many packs still wait for their PUBACK (0: all delivered). */
  flush(): number;
  /** The node's counters (read them only; the fleet's summary line sums `samples` and `tele_acked`). */
  readonly counters: Counters;
  /** Observes readings raw, filtered (entering compress) and reported (edge/reading-taps.ts); returns the unsubscribe. Throws RangeError beyond 4 observers. */
  observe(observer: (tapped: TappedReading) => void): () => void;
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

export { DEFAULT_MAX_PACKET } from "./telemetry/pack-maker.js";
export { OUTBOX_SEGMENTS_MAX, outboxSegmentsFor, STORAGE_RESERVE_BYTES } from "./telemetry/outbox-capacity.js";
/** How often the outbox checks whether its RAM tail must go to flash. */
const OUTBOX_TICK_MS = 1000;

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
  log.counters = counters;
  const bootId = randomHex(platform, 8);
  // Config: the newest good record in flash (else defaults), then the boot overrides.
  const configService = new ConfigService(platform.storage, platform.system.hardwareId());
  const board = platform.board;
  if (board) configService.saveRules = (raw, problems) => checkBoardPins(raw, board, problems);
  if (board) configService.setRule = (key, raw) => pinKeyProblem(key, raw, board);
  if (!("nodeId" in options) && options.defaults) configService.seedDefaults(options.defaults);
  if (!("nodeId" in options) && options.overrides) configService.setOverrides(options.overrides);
  // Remotely changed broker settings on trial: counted here, reverted before resolving when they failed too often.
  const fallback = "nodeId" in options ? undefined : new BrokerFallback(platform, configService, log, counters);
  fallback?.boot();
  const config: NodeConfig = "nodeId" in options ? options : configService.resolved();
  if (config.wifi?.ssid) platform.system.joinNetwork?.(config.wifi);
  if (config.logLevel) log.level = config.logLevel;
  const eventQueue = new EventQueue({
    publish: (payload) => session.publish(topics.evt, payload, 1), counters, log, bootId, uptimeMs: () => platform.clock.monotonic(),
    storage: platform.storage, timers: platform.timers, clock: platform.clock,
  });
  const events = (kind: string, detail: string, fields?: Record<string, string | number | boolean>) => eventQueue.raise(kind, detail, fields);
  const topics = nodeTopics(config.mqtt.prefix, config.nodeId);
  const storageHealth = new StorageHealth();
  const bootCount = nextBootCount(platform.storage, (error) => storageHealth.fault("writing the boot count", error));
  const resetReason = platform.system.resetReason();
  // The boot-count write is the flash probe: a refusal here only speaks when that one passed.
  const resetCounts = countResetReason(platform.storage, resetReason, (error) => storageHealth.problem ?? storageHealth.fault("counting the reset reason", error));
  const fitted = outboxSegmentsFor(platform.storage.capacityBytes);
  const outbox = new Outbox(platform.storage, () => platform.clock.monotonic(), counters, log,
    fitted === undefined ? uplink.outbox : { maxSegments: fitted, ...uplink.outbox });
  let reportedLoss = 0;
  const bootEpoch = new BootEpoch(platform.clock);
  const epochAtBoot = () => bootEpoch.get();
  const retained = new RetainedIdentity(platform.storage);
  const packs = new PackMaker({ nodeId: config.nodeId, bootId, teleTopic: topics.tele, maxPacketBytes: uplink.maxPacketBytes, epochAtBoot }, counters);

  const session = new MqttSession(platform, log, counters, config.mqtt, config.mqtt.clientId || config.nodeId, topics, {
    onConnected: () => {
      for (const topic of retained.connected(`${config.mqtt.prefix}/${config.nodeId}`, (t, p, q, r) => session.publish(t, p, q, r)))
        log.info("mqtt", `cleared the retained ${topic} of the previous identity`);
      publishBirth();
      actuators.linkUp(true);
      ota.connected();
      const reverted = fallback?.connected();
      if (reverted !== undefined) events("config_reverted", reverted);
      reportLoss();
      eventQueue.flush();
      forwarder.online();
    },
    onMessage: (topic, payload, retain) => intake.message(topic, payload, retain),
    onOversize: (topic, bytes, retain) => intake.oversize(topic, bytes, retain),
    onPuback: (id) => forwarder.ack(id),
    onWritable: () => forwarder.pump(),
    onDisconnected: () => {
      forwarder.offline();
      actuators.linkUp(false);
    },
  }, uplink.session);

  // A pack leaves under the node id it was made with (a rename or factory reset may lie between).
  const forwarder: Forwarder = new Forwarder(platform, outbox, counters, (payload) => session.publish(packTopic(config.mqtt.prefix, payload, config.nodeId), payload, 1),
    (historical) => ({ historical, bootId, epochAtBoot: epochAtBoot() }), uplink.forwarder);

  function publishBirth(): void {
    const payload = encodeBirth({
      firmware: runningVersion(platform),
      host: platform.name,
      simulated: platform.io.simulated === true,
      bootId,
      bootCount,
      resetReason,
      resetCounts,
      clockSynced: platform.clock.wallTime() !== undefined,
      config,
      actuators: (config.actuators ?? []).map((a) => ({ name: a.name, kind: a.type, safe: a.safeState })),
      outbox: {
        depth: outbox.depth, segments: outbox.segments.used, maxSegments: outbox.segments.max,
        dropped: counters.get("outbox_dropped"), torn: counters.get("outbox_torn"), thinned: counters.get("outbox_thinned"),
      },
      maxPacketBytes: packs.maxPacketBytes,
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


  const modbus = openModbusBus(platform, config.modbus, log, counters);
  const channels = new Channels(platform, log, counters, config.channels);
  channels.watchQuality((change) => events("quality", describeQualityChange(change)));
  // Channel alarms (ch.<name>.alarm): raise/clear events, their state kept on flash across reboots.
  const alarms = new Alarms(config.channels, { storage: platform.storage, now: () => platform.clock.monotonic(), event: events, onError: (message) => log.error("alarm", message) });
  channels.subscribe((reading) => alarms.push(reading));
  const batcher = new Batcher(platform, { ...config.telemetry, fits: (rows) => packs.fits(rows) }, (rows) => forwarder.add(packs.make(rows)));
  // The main loop: its every turn feeds the board's watchdog (a loop that stops turning resets the board).
  const loopWatchdog = new LoopWatchdog(platform.watchdog, (message) => log.error("watchdog", message));
  const housekeeping = platform.timers.repeat(() => {
    try {
      outbox.tick();
      if (session.state === "connected") reportLoss();
    } catch (error) {
      counters.add("internal_errors");
      log.error("outbox", `tick failed: ${(error as Error).message}`);
    }
    loopWatchdog.feed();
  }, OUTBOX_TICK_MS);

  const actuators = new Actuators(platform, log, config.actuators ?? [], events);
  // Local rules (rule.<name>.*): judged at each reading of their input and every second for staleness, online or not.
  const rules = new Rules(config.rules ?? [], actuators, { now: () => platform.clock.monotonic(), event: events, onError: (message) => log.warn("rule", message) });
  channels.subscribe((reading) => rules.push(reading));
  const ruleCheck = platform.timers.repeat(() => rules.check(), 1000);
  // Console and MQTT restarts first write the remote config changes that wait for the save window.
  const restarting: Platform = { ...platform, system: { ...platform.system, restart: () => {
    eventQueue.persistNow();
    try {
      configService.flush();
    } catch (error) {
      log.error("config", (error as Error).message);
    }
    platform.system.restart();
  } } };
  const ota = nodeOta(restarting, log, counters, configService, events, (response) => session.publish(topics.resp, encodeResponse(response), 1));
  const commands = new CommandHandler({ ...commandTargets({
    platform: restarting, log, bootId, channels, actuators, config: configService, epochAtBoot, publishBirth,
    lastSeq: () => packs.seq, outboxDepth: () => outbox.depth,
  }), ota: (id, args) => ota.start(id, args) }, counters, log);
  const intake = new CommandIntake(topics, commands, counters, { publishResponse: (payload) => session.publish(topics.resp, payload, 1), event: events });
  watchLiveKeys(configService, { log, batcher, actuators, running: config, publishBirth });
  configService.limitRemoteSaves(platform.timers, platform.clock, counters, (error) => {
    log.error("config", error.message);
    storageHealth.fault("writing the config to flash", error);
  });
  configService.onSaved = (changed) => {
    log.info("config", `generation ${configService.generation ?? 0}${configService.unflushed ? " (+1 within the save window)" : ""}: ${changed.length} key(s) changed`);
  };

  const console = new Console(platform.console, counters);
  log.interject = (write) => console.interject(write);
  console.masksAfter = masksSecret;
  console.register(helpCommand(console));
  console.register(versionCommand(platform.name, runningVersion(platform)));
  for (const command of configCommands(configService)) console.register(command);
  for (const command of systemCommands(restarting, log, () => configService.factoryReset())) console.register(command);
  for (const command of ioCommands(channels, actuators)) console.register(command);
  for (const command of modbusCommands(() => modbus)) console.register(command);
  console.register(alarmsCommand(() => alarms.active(), () => platform.clock.monotonic()));
  console.register(
    statusCommand(() =>
      statusReport({ platform, nodeId: config.nodeId, bootId, session, outbox, config: configService, fallback, actuators, channels, counters, storage: storageHealth, alarms, watchdog: loopWatchdog }),
    ),
  );

  // Improv serial provisioning beside the text lines; a join now only when boot did not join (no SSID then).
  const join = platform.system.joinNetwork?.bind(platform.system);
  attachImprov(console, platform.console, { config: configService, counters, nodeId: config.nodeId, host: platform.name, join: config.wifi?.ssid ? undefined : join });

  log.info("node", `fieldnode ${runningVersion(platform)} on ${platform.name}, node ${config.nodeId}, boot ${bootId} (#${bootCount})`);
  actuators.start();
  // Each channel's edge filter chain (ch.<name>.filter) between the channels and the batcher.
  // Readings at three taps for observers (the simulator's dashboard): raw, entering compress, reported.
  const taps = new ReadingTaps(epochAtBoot, (error) => {
    counters.add("observer_errors");
    log.error("edge", `a tap observer threw: ${(error as Error)?.message ?? String(error)}`);
  });
  channels.subscribe((reading) => taps.emit("raw", reading));
  const pipeline = edgePipeline(config.channels, log, counters, (reading) => taps.emit("filtered", reading));
  const toBatcher = (reading: Reading) => {
    taps.emit("reported", reading);
    batcher.add(reading);
  };
  channels.start((reading) => pipeline.push(reading, toBatcher));
  session.start();
  console.start();
  if (loopWatchdog.start()) log.info("watchdog", loopWatchdog.describe());
  if (configService.loaded.notes.length > 0) events("config", configService.loaded.notes.join("; "));
  if (storageHealth.problem !== undefined) events("storage", storageHealth.problem);

  return {
    nodeId: config.nodeId,
    bootId,
    config: configService,
    actuators,
    events,
    registerCommand: (command) => console.register(command),
    flush() {
      // What the filters hold too (compress keeps its last point until a flush), or a replay's last rows wait for stop().
      pipeline.flush(toBatcher);
      batcher.flush();
      return outbox.depth;
    },
    counters,
    observe: (observer) => taps.observe(observer),
    async stop() {
      loopWatchdog.stop();
      platform.timers.clear(ruleCheck);
      actuators.stop();
      channels.stop();
      modbus?.close();
      pipeline.flush(toBatcher);
      batcher.flush();
      batcher.stop();
      platform.timers.clear(housekeeping);
      fallback?.stop();
      eventQueue.persistNow();
      try {
        configService.flush();
      } catch (error) {
        log.error("config", (error as Error).message);
      }
      // The pack just closed and those in flight: their PUBACKs first (bounded), or the next boot sends them again.
      await settleUplink(platform.timers, () => session.state !== "connected" || outbox.depth === 0, (listener) => session.watch(listener));
      forwarder.offline();
      outbox.persist();
      await session.stop();
      const lost = outbox.unpersisted; // still in RAM after persist(): the flash refused them
      log.info("node", `stopped (last seq ${packs.seq}, ${outbox.depth - lost} pack(s) kept in the outbox${lost > 0 ? `, ${lost} lost: flash write failed` : ""})`);
      log.flush();
    },
  };
}

function randomHex(platform: Platform, digits: number): string {
  let text = "";
  for (let i = 0; i < digits; i++) text += Math.floor(platform.system.random() * 16).toString(16);
  return text;
}
