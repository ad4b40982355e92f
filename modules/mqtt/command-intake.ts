import type { Counters } from "../counters.js";
import { encodeResponse, type CommandHandler } from "./commands.js";
import type { NodeTopics } from "./topics.js";

/** Where the intake sends what it decides. */
export interface IntakeOutlets {
  /** Publishes a response payload on `.../resp` (QoS 1); false when it could not go out. */
  publishResponse(payload: Uint8Array): number | false;
  /** Raises a node event (logged, and published on `.../evt`). */
  event(kind: string, detail: string): void;
}

/**
 * What happens to a message on the node's subscription before any command
 * runs (docs/contracts.md, "Commands"):
 * - a topic outside `.../cmd/` is counted (`mqtt_unexpected_topic`) and dropped;
 * - a retained message is never executed — commands are not state, and a
 *   retained one would run again at every subscribe (every connect, every
 *   boot): it is counted (`cmd_retained`) and dropped, and the first one of a
 *   boot raises a `cmd_retained` event naming its topic;
 * - a message larger than the transport keeps (its payload is gone, so its id
 *   cannot be known) is answered `too_large` with a null id, naming the verb;
 * - anything else goes to the `CommandHandler` and its response is published
 *   (`cmd_resp_not_sent` when the link refuses it).
 * Never throws.
 */
export class CommandIntake {
  #topics: NodeTopics;
  #handler: CommandHandler;
  #counters: Counters;
  #outlets: IntakeOutlets;
  #retainedSaid = false;

  constructor(topics: NodeTopics, handler: CommandHandler, counters: Counters, outlets: IntakeOutlets) {
    this.#topics = topics;
    this.#handler = handler;
    this.#counters = counters;
    this.#outlets = outlets;
  }

  /** A whole message from the transport; `retain` as the broker flagged it. */
  message(topic: string, payload: Uint8Array, retain = false): void {
    const verb = this.#verb(topic);
    if (verb === undefined) return;
    if (retain) return this.#retained(topic, payload.byteLength);
    this.#respond(this.#handler.handle(verb, payload));
  }

  /** A message the transport skipped for its size: `bytes` of payload, not kept. */
  oversize(topic: string, bytes: number, retain: boolean): void {
    const verb = this.#verb(topic);
    if (verb === undefined) return;
    if (retain) return this.#retained(topic, bytes);
    this.#respond(this.#handler.refuseTooLarge(verb, bytes));
  }

  #verb(topic: string): string | undefined {
    if (topic.startsWith(this.#topics.cmdPrefix)) return topic.slice(this.#topics.cmdPrefix.length);
    this.#counters.add("mqtt_unexpected_topic");
    return undefined;
  }

  #retained(topic: string, bytes: number): void {
    this.#counters.add("cmd_retained");
    if (this.#retainedSaid) return;
    this.#retainedSaid = true;
    this.#outlets.event("cmd_retained", `ignored a retained command on ${JSON.stringify(topic.slice(0, 200))} (${bytes} bytes): `
      + "commands are not state and never run from the broker's retained store; clear it with an empty retained message "
      + "(further ones this boot are only counted in cmd_retained)");
  }

  #respond(response: Parameters<typeof encodeResponse>[0]): void {
    if (this.#outlets.publishResponse(encodeResponse(response)) === false) this.#counters.add("cmd_resp_not_sent");
  }
}
