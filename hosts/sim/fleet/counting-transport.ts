import type { MqttTransport } from "../../../modules/platform.js";

/** One node's link as the fleet's summary sees it. */
export interface LinkCount {
  connected: boolean;
  /** Telemetry packs handed to the socket (QoS 1 PUBLISH on a `/tele` topic). */
  published: number;
}

/**
 * Wraps `inner` so that `count` follows the node's link: connected from
 * CONNACK to close, and each telemetry PUBLISH the transport took. Passes
 * every call and event through unchanged.
 */
export function countingTransport(inner: MqttTransport, count: LinkCount): MqttTransport {
  return {
    connect(options, events) {
      const connection = inner.connect(options, {
        ...events,
        onConnect(sessionPresent) {
          count.connected = true;
          events.onConnect(sessionPresent);
        },
        onClose(failure) {
          count.connected = false;
          events.onClose(failure);
        },
        onMessage: (topic, payload, retain) => events.onMessage(topic, payload, retain),
        onPuback: (packetId) => events.onPuback(packetId),
        onOversize: events.onOversize && ((topic, bytes, retain) => events.onOversize!(topic, bytes, retain)),
        onWritable: events.onWritable && (() => events.onWritable!()),
      });
      return {
        publish(topic, payload, qos, retain, dup) {
          const id = connection.publish(topic, payload, qos, retain, dup);
          if (id !== false && qos === 1 && topic.endsWith("/tele")) count.published++;
          return id;
        },
        subscribe: (topics, qos) => connection.subscribe(topics, qos),
        disconnect: () => connection.disconnect(),
        destroy: () => connection.destroy(),
      };
    },
  };
}
