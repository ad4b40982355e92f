/** One queued message and, once sent, the packet id its PUBACK will carry. */
interface Entry {
  payload: Uint8Array;
  packetId?: number;
}

/**
 * A bounded in-memory queue of QoS 1 messages: a message leaves only on its
 * PUBACK; after a reconnect, unacknowledged ones are sent again. When full,
 * the oldest message is dropped and counted by the caller (`push` says so).
 */
export class MemoryOutbox {
  #entries: Entry[] = [];
  #capacity: number;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.#capacity = capacity;
  }

  /** Queues a message; returns how many old ones were dropped to make room. */
  push(payload: Uint8Array): number {
    let dropped = 0;
    while (this.#entries.length >= this.#capacity) {
      this.#entries.shift();
      dropped++;
    }
    this.#entries.push({ payload });
    return dropped;
  }

  /** Sends every unsent message through `send` until it refuses (returns false). */
  flush(send: (payload: Uint8Array) => number | false): void {
    for (const entry of this.#entries) {
      if (entry.packetId !== undefined) continue;
      const id = send(entry.payload);
      if (id === false) return;
      entry.packetId = id;
    }
  }

  /** Removes the message acknowledged by `packetId`. */
  ack(packetId: number): boolean {
    const index = this.#entries.findIndex((e) => e.packetId === packetId);
    if (index < 0) return false;
    this.#entries.splice(index, 1);
    return true;
  }

  /** After a lost connection, in-flight messages count as unsent again. */
  requeueInFlight(): void {
    for (const entry of this.#entries) delete entry.packetId;
  }

  get depth(): number {
    return this.#entries.length;
  }

  get capacity(): number {
    return this.#capacity;
  }
}
