/**
 * A `Platform` for tests that runs inside XS (and on Node): no Node
 * built-ins, no globals XS lacks. Time is virtual and moves only when the
 * test calls `timers.advance`; the transport, console and flash are in
 * memory and record what the firmware did so the test can inspect it. The
 * clock and flash are the tests' shared ones (helpers/fake-timers.ts,
 * helpers/memory-storage.ts).
 */
import { simulatedBoard, type SimulatedBoard } from "../../modules/io/models/index.js";
import {
  type ConsolePort,
  type IOProvider,
  type LogLevel,
  type MqttConnectOptions,
  type MqttConnection,
  type MqttEvents,
  type MqttFailure,
  type MqttTransport,
  type Platform,
  type Storage,
  type SystemServices,
} from "../../modules/platform.js";
import { encodeUtf8 } from "../../modules/util/utf8.js";
import { FakeTimers } from "../helpers/fake-timers.js";
import { MemoryStorage } from "../helpers/memory-storage.js";
import { seededRandom } from "../helpers/seeded-random.js";

/** Options of `createTestPlatform`; every one has a deterministic default. */
export interface TestPlatformOptions {
  /** Seed of `system.random()` and of the default board's climate; default 1. */
  seed?: number;
  /** Default "0024befffe804ff1". */
  hardwareId?: string;
  /** Platform name; default "xs-test". */
  name?: string;
  /** Console echo and prompt; default false (a script drives it). */
  interactive?: boolean;
  /** Wall-clock ms at monotonic 0; default undefined (clock not synchronised). */
  wallTime?: number;
  /** Default "power-on". */
  resetReason?: string;
  /** IO constructors; default: the portable simulated board (SHT3x at 0x44). */
  io?: IOProvider;
  /** Lets queued promise jobs run between two timer firings; default one microtask turn. */
  settle?: () => Promise<void>;
  /** Receives every log line as it is written. */
  onLog?: (level: LogLevel, line: string) => void;
}

/** A test platform and its control surfaces. */
export interface TestPlatform {
  platform: Platform;
  /** The clock and the timers: one FakeTimers; drive it with `advanceSettled` (promise jobs run between firings). */
  clock: FakeTimers;
  timers: FakeTimers;
  storage: MemoryStorage;
  console: CapturedConsole;
  mqtt: RecordingMqtt;
  /** The default board, when `options.io` was not given. */
  board: SimulatedBoard | undefined;
  logs: { level: LogLevel; line: string }[];
  /** How many times the firmware asked for a restart. */
  restarts: number;
}

/** Builds a test platform; see `TestPlatformOptions` for the defaults. */
export function createTestPlatform(options: TestPlatformOptions = {}): TestPlatform {
  const seed = options.seed ?? 1;
  const clock = new FakeTimers({ wallTimeAtZero: options.wallTime, settle: options.settle });
  const board = options.io ? undefined : simulatedBoard(() => clock.monotonic(), seed);
  const random = seededRandom(seed);
  const logs: TestPlatform["logs"] = [];
  const system: SystemServices = {
    hardwareId: () => options.hardwareId ?? "0024befffe804ff1",
    resetReason: () => options.resetReason ?? "power-on",
    restart: () => void test.restarts++,
    random,
    freeMemory: () => undefined,
    networkState: () => "up",
  };
  const test: TestPlatform = {
    clock,
    timers: clock,
    storage: new MemoryStorage(),
    console: new CapturedConsole(options.interactive ?? false),
    mqtt: new RecordingMqtt(),
    board,
    logs,
    restarts: 0,
    platform: undefined as unknown as Platform,
  };
  test.platform = {
    name: options.name ?? "xs-test",
    clock,
    timers: test.timers,
    storage: test.storage,
    console: test.console,
    mqtt: test.mqtt,
    io: options.io ?? board!.io,
    system,
    log(level, line) {
      logs.push({ level, line });
      options.onLog?.(level, line);
    },
  };
  return test;
}

/** A console port that keeps what the firmware wrote and takes injected bytes. */
export class CapturedConsole implements ConsolePort {
  readonly interactive: boolean;
  #receiver: ((bytes: Uint8Array) => void) | undefined;
  #output = "";

  constructor(interactive: boolean) {
    this.interactive = interactive;
  }

  onReceive(receiver: (bytes: Uint8Array) => void): void {
    this.#receiver = receiver;
  }

  write(text: string): void {
    this.#output += text;
  }

  /** Delivers bytes (a string is sent as UTF-8) as if typed; throws when nobody listens. */
  inject(input: Uint8Array | string): void {
    if (!this.#receiver) throw new Error("console input injected before the firmware listens");
    this.#receiver(typeof input === "string" ? encodeUtf8(input) : input.slice());
  }

  /** Returns what was written since the last call and forgets it. */
  take(): string {
    const output = this.#output;
    this.#output = "";
    return output;
  }
}

/** One PUBLISH the firmware handed to the transport. */
export interface RecordedPublish {
  connection: number;
  topic: string;
  payload: Uint8Array;
  qos: 0 | 1;
  retain: boolean;
  dup: boolean;
  /** 0 for QoS 0. */
  packetId: number;
}

/** One connect() call and what happened on it. */
export interface RecordedConnection {
  options: MqttConnectOptions;
  events: MqttEvents;
  subscriptions: string[];
  closed?: MqttFailure | "disconnect" | "destroy";
}

/**
 * An MQTT transport that talks to no broker: it records connects,
 * publishes and subscribes, and the test plays the broker's part with
 * `accept`, `ack`, `deliver` and `fail` on the latest connection.
 */
export class RecordingMqtt implements MqttTransport {
  readonly connections: RecordedConnection[] = [];
  readonly publishes: RecordedPublish[] = [];
  /** When false, publish returns `false` (send buffer full). */
  writable = true;
  #packetId = 0;

  connect(options: MqttConnectOptions, events: MqttEvents): MqttConnection {
    const record: RecordedConnection = { options, events, subscriptions: [] };
    const index = this.connections.push(record) - 1;
    const close = (how: "disconnect" | "destroy") => {
      if (record.closed) return;
      record.closed = how;
      Promise.resolve().then(() => events.onClose({ stage: "closed", message: `client ${how}` }));
    };
    return {
      publish: (topic, payload, qos, retain, dup = false) => {
        if (record.closed || !this.writable) return false;
        const packetId = qos === 1 ? (this.#packetId = (this.#packetId % 65535) + 1) : 0;
        this.publishes.push({ connection: index, topic, payload: payload.slice(), qos, retain, dup, packetId });
        return packetId;
      },
      subscribe: (topics) => void record.subscriptions.push(...topics),
      disconnect: () => close("disconnect"),
      destroy: () => close("destroy"),
    };
  }

  /** Fires CONNACK (accepted) on the latest connection. */
  accept(sessionPresent = false): void {
    this.#latest().events.onConnect(sessionPresent);
  }

  /** Fires PUBACK for `packetId` on the latest connection. */
  ack(packetId: number): void {
    this.#latest().events.onPuback(packetId);
  }

  /** Delivers an incoming PUBLISH on the latest connection (`retain`: from the broker's retained store). */
  deliver(topic: string, payload: Uint8Array, retain = false): void {
    this.#latest().events.onMessage(topic, payload, retain);
  }

  /** Reports an incoming PUBLISH that was too large to keep (`bytes` of payload) on the latest connection. */
  oversize(topic: string, bytes: number, retain = false): void {
    this.#latest().events.onOversize?.(topic, bytes, retain);
  }

  /** Ends the latest connection with `failure` (exactly once per connection). */
  fail(failure: MqttFailure): void {
    const record = this.#latest();
    if (record.closed) return;
    record.closed = failure;
    record.events.onClose(failure);
  }

  /** Lets the firmware resume publishing after `writable` was false. */
  drain(): void {
    this.writable = true;
    this.#latest().events.onWritable?.();
  }

  #latest(): RecordedConnection {
    const record = this.connections[this.connections.length - 1];
    if (!record) throw new Error("the firmware has not called connect()");
    return record;
  }
}

