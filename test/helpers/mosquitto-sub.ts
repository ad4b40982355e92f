import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";

/** A message as an independent client (mosquitto_sub) received it. */
export interface SubReceived {
  topic: string;
  payload: Uint8Array;
  retained: boolean;
}

/**
 * Subscribes with mosquitto_sub (QoS 1), so what a test checks is what any
 * MQTT client sees: topic, retain flag and payload bytes of every message.
 */
export function mosquittoSub(port: number, topic: string) {
  const child = spawn("mosquitto_sub", ["-h", "127.0.0.1", "-p", String(port), "-t", topic, "-q", "1", "-F", "%t %r %x"]);
  const messages: SubReceived[] = [];
  let buffer = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    buffer += chunk;
    let nl;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const [topicName, retained, hex = ""] = buffer.slice(0, nl).split(" ");
      buffer = buffer.slice(nl + 1);
      messages.push({ topic: topicName, retained: retained === "1", payload: Uint8Array.from(Buffer.from(hex, "hex")) });
    }
  });
  const until = async (predicate: (all: SubReceived[]) => boolean, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(messages)) {
      if (Date.now() > deadline) throw new Error(`timed out; got ${messages.map((m) => m.topic).join(", ")}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  /**
   * Resolves once the subscription is in place (a fixed sleep is not enough on
   * a loaded machine): publishes `probeTopic`, which `topic` must match, with
   * mosquitto_pub every 200 ms until it comes back. Rejects after `timeoutMs`.
   */
  const subscribed = async (probeTopic: string, timeoutMs = 30_000) => {
    const mark = `probe-${process.pid}-${Date.now()}`;
    const seen = () => messages.some((m) => m.topic === probeTopic && Buffer.from(m.payload).toString() === mark);
    const deadline = Date.now() + timeoutMs;
    while (!seen()) {
      if (Date.now() > deadline) throw new Error(`mosquitto_sub on ${topic} did not receive the probe on ${probeTopic} within ${timeoutMs} ms`);
      await promisify(execFile)("mosquitto_pub", ["-h", "127.0.0.1", "-p", String(port), "-t", probeTopic, "-m", mark]).catch(() => undefined);
      for (let i = 0; i < 4 && !seen(); i++) await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { messages, until, subscribed, stop: () => child.kill() };
}
