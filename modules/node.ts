import { defaultConfig, type NodeConfig } from "./config/node-config.js";
import { helpCommand } from "./console/commands/help.js";
import { statusCommand } from "./console/commands/status.js";
import { versionCommand } from "./console/commands/version.js";
import { Console } from "./console/console.js";
import { Counters } from "./counters.js";
import { Channels, type Reading } from "./io/channels.js";
import { Logger } from "./log.js";
import { MqttSession } from "./mqtt/session.js";
import { nodeTopics } from "./mqtt/topics.js";
import type { Platform } from "./platform.js";
import { Batcher } from "./telemetry/batcher.js";
import { MemoryOutbox } from "./telemetry/memory-outbox.js";
import { encodeTelemetryPack } from "./telemetry/telemetry-pack.js";
import { FIRMWARE_VERSION } from "./version.js";

/** A running node, as its host sees it. */
export interface NodeHandle {
  readonly nodeId: string;
  readonly bootId: string;
  /** Publishes retained `offline`, closes the MQTT session, stops sampling. */
  stop(): Promise<void>;
}

/** Telemetry packs kept while the broker is away (each is one message). */
const OUTBOX_CAPACITY = 256;

/**
 * The composition root: wires channels → batcher → SenML-CBOR → outbox →
 * MQTT, and the console, on top of the platform port. The same call boots
 * the firmware on the ESP32 and in the simulator.
 */
export function startNode(platform: Platform, config: NodeConfig = defaultConfig(platform.system.hardwareId())): NodeHandle {
  const log = new Logger(platform);
  const counters = new Counters();
  const bootId = randomHex(platform, 8);
  const topics = nodeTopics(config.mqtt.prefix, config.nodeId);
  const outbox = new MemoryOutbox(OUTBOX_CAPACITY);
  let seq = 0;

  const session = new MqttSession(platform, log, counters, config.mqtt, config.mqtt.clientId || config.nodeId, topics, {
    onConnected: () => {
      outbox.requeueInFlight();
      sendQueued();
    },
    onMessage: () => counters.add("mqtt_commands_ignored"),
    onPuback: (id) => {
      if (outbox.ack(id)) counters.add("tele_acked");
      sendQueued();
    },
    onWritable: () => sendQueued(),
  });

  function sendQueued(): void {
    outbox.flush((payload) => session.publish(topics.tele, payload, 1));
  }

  function onBatch(readings: Reading[]): void {
    const wall = platform.clock.wallTime();
    const epochAtBoot = wall === undefined ? undefined : wall - platform.clock.monotonic();
    const payload = encodeTelemetryPack({ nodeId: config.nodeId, bootId, seq: ++seq, epochAtBoot }, readings);
    counters.add("tele_packs");
    const dropped = outbox.push(payload);
    if (dropped > 0) {
      counters.add("outbox_dropped", dropped);
      log.warn("tele", `outbox full: dropped ${dropped} oldest pack(s)`);
    }
    sendQueued();
  }

  const channels = new Channels(platform, log, counters, config.channels);
  const batcher = new Batcher(platform, config.telemetry, onBatch);

  const console = new Console(platform.console, counters);
  console.register(helpCommand(console));
  console.register(versionCommand(platform.name));
  console.register(
    statusCommand(() => [
      ["node", config.nodeId],
      ["firmware", FIRMWARE_VERSION],
      ["boot", bootId],
      ["uptime", `${Math.floor(platform.clock.monotonic() / 1000)} s`],
      ["reset reason", platform.system.resetReason()],
      ["clock", platform.clock.wallTime() === undefined ? "not synchronised (uptime stamps)" : "synchronised"],
      ["network", platform.system.networkState()],
      ["mqtt", session.describe()],
      ["outbox", `${outbox.depth}/${outbox.capacity} packs`],
      ["channels", channels.list().map((c) => `${c.name}=${c.last === undefined ? "-" : c.last.toFixed(2)} ${c.unit}${c.faults ? ` (${c.faults} faults)` : ""}`).join(", ")],
      ["counters", counters.entries().map(([k, v]) => `${k}=${v}`).join(" ") || "none"],
    ]),
  );

  log.info("node", `fieldnode ${FIRMWARE_VERSION} on ${platform.name}, node ${config.nodeId}, boot ${bootId}`);
  channels.start((reading) => batcher.add(reading));
  session.start();
  console.start();

  return {
    nodeId: config.nodeId,
    bootId,
    async stop() {
      channels.stop();
      batcher.flush();
      batcher.stop();
      await session.stop();
      log.info("node", "stopped");
    },
  };
}

function randomHex(platform: Platform, digits: number): string {
  let text = "";
  for (let i = 0; i < digits; i++) text += Math.floor(platform.system.random() * 16).toString(16);
  return text;
}
