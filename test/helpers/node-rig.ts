/**
 * A whole node (startNode) on the in-memory platform with a fake broker in
 * virtual time: what it published, logged and printed, over all its boots.
 */
import { decode, encode } from "cbor-x";
import { startNode, type StartOptions } from "../../modules/node.js";
import type { MqttConnectOptions, MqttEvents, MqttTransport, Platform } from "../../modules/platform.js";
import { memoryPlatform, MemoryStorage } from "./memory-platform.js";

/** What every boot of the node published, logged and printed, over all boots of one test. */
export interface Trace {
  published: { topic: string; payload: Uint8Array; retain: boolean }[];
  connects: MqttConnectOptions[];
  text: string[];
}

export const newTrace = (): Trace => ({ published: [], connects: [], text: [] });

/**
 * A broker that accepts a CONNECT when `accept(options)` (default: always),
 * else refuses with CONNACK 5; it acknowledges every QoS 1 PUBLISH, records
 * what it sees and can deliver messages to the node (`send`).
 */
export function fakeBroker(trace: Trace, accept: (options: MqttConnectOptions) => boolean = () => true): MqttTransport & { send(topic: string, payload: unknown): void } {
  let deliver: MqttEvents["onMessage"] | undefined;
  let packetId = 0;
  return {
    connect(options, events) {
      trace.connects.push(options);
      let open = true;
      const close = (stage: "connack" | "closed", message: string) => {
        if (!open) return;
        open = false;
        deliver = undefined;
        void Promise.resolve().then(() => events.onClose({ stage, message }));
      };
      void Promise.resolve().then(() => {
        if (!accept(options)) return close("connack", "not authorized (5)");
        deliver = (topic, payload) => events.onMessage(topic, payload);
        events.onConnect(false);
      });
      return {
        publish(topic, payload, qos, retain) {
          if (!open) return false;
          trace.published.push({ topic, payload: payload.slice(), retain: retain === true });
          if (qos === 0) return 0;
          const id = ++packetId;
          void Promise.resolve().then(() => { if (open) events.onPuback(id); });
          return id;
        },
        subscribe() {},
        disconnect: () => close("closed", "disconnect"),
        destroy: () => close("closed", "destroy"),
      };
    },
    send(topic, payload) {
      deliver?.(topic, payload instanceof Uint8Array ? payload : new Uint8Array(encode(payload)));
    },
  };
}

/** One boot on `storage`: `run(ms)` moves virtual time in 1 s steps, letting the fake broker's callbacks through. */
export function bootNode(storage: MemoryStorage, trace: Trace, options: { accept?: (o: MqttConnectOptions) => boolean; start?: StartOptions; platform?: Partial<Platform> } = {}) {
  const rig = memoryPlatform({ storage });
  const broker = fakeBroker(trace, options.accept);
  const platform: Platform = { ...rig.platform, mqtt: broker, log: (level, line) => { trace.text.push(line); rig.platform.log(level, line); }, ...options.platform };
  const node = startNode(platform, options.start);
  const run = async (ms: number) => {
    for (let t = 0; t < ms; t += 1000) {
      for (let i = 0; i < 4; i++) await Promise.resolve();
      rig.advance(Math.min(1000, ms - t));
    }
    for (let i = 0; i < 4; i++) await Promise.resolve();
  };
  /** Sends `cmd/<verb>` with `args` (a map with the id) and returns the response with that id. */
  const send = async (verb: string, args: Map<string, unknown>) => {
    broker.send(`fieldnode/${node.nodeId}/cmd/${verb}`, args);
    await run(0);
    const resp = trace.published.filter((p) => p.topic.endsWith("/resp")).map((p) => decode(p.payload) as Record<string, unknown>);
    return resp.find((r) => r.id === args.get("id"));
  };
  /** A remote `set` of `keys` with command id `id`. */
  const command = (id: string, keys: Record<string, unknown>) => send("set", new Map<string, unknown>([["id", id], ["keys", new Map(Object.entries(keys))]]));
  /** Types one console line and returns what the console printed for it. */
  const type = async (line: string) => {
    rig.port.take();
    rig.port.type(`${line}\n`);
    await run(0);
    return rig.port.take();
  };
  const stop = async () => {
    const done = node.stop();
    await run(2000);
    await done;
    trace.text.push(rig.port.take());
  };
  return { rig, node, broker, run, send, command, type, stop, get restarts() { return rig.restarts; } };
}
