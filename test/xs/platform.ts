/**
 * A `Platform` for tests that runs inside XS (and on Node): no Node
 * built-ins, no globals XS lacks. Time is virtual and moves only when the
 * test calls `timers.advance`; the transport, console and flash are in
 * memory and record what the firmware did so the test can inspect it.
 */
import { simulatedBoard, type SimulatedBoard } from "../../modules/io/models/index.js";
import {
  STORAGE_KEY_MAX,
  STORAGE_VALUE_MAX,
  type Clock,
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
  type TimerHandle,
  type Timers,
} from "../../modules/platform.js";
import { encodeUtf8 } from "../../modules/util/utf8.js";
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
  clock: VirtualClock;
  timers: VirtualTimers;
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
  const clock = new VirtualClock(options.wallTime);
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
    timers: new VirtualTimers(clock, options.settle ?? (() => Promise.resolve())),
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

/** Monotonic time that moves only when told; wall time is optional and settable. */
export class VirtualClock implements Clock {
  #now = 0;
  #epochAtZero: number | undefined;

  constructor(wallTimeAtZero?: number) {
    this.#epochAtZero = wallTimeAtZero;
  }

  monotonic(): number {
    return this.#now;
  }

  wallTime(): number | undefined {
    return this.#epochAtZero === undefined ? undefined : this.#epochAtZero + this.#now;
  }

  /** Synchronises (or, with `undefined`, unsynchronises) the wall clock to `ms` now. */
  setWallTime(ms: number | undefined): void {
    this.#epochAtZero = ms === undefined ? undefined : ms - this.#now;
  }

  /** Moves to `ms`; throws RangeError on a step backwards. */
  moveTo(ms: number): void {
    if (!(ms >= this.#now)) throw new RangeError(`virtual clock cannot go back from ${this.#now} to ${ms}`);
    this.#now = ms;
  }
}

/** Most timer firings one `advance` may run before it declares a runaway. */
const MAX_FIRINGS_PER_ADVANCE = 100_000;

interface VirtualTimer {
  due: number;
  /** 0 for a one-shot timer. */
  interval: number;
  /** Creation order: breaks ties between timers due at the same time. */
  order: number;
  callback: () => void;
}

/** Timers on the virtual clock, fired in due-time order by `advance`. */
export class VirtualTimers implements Timers {
  #clock: VirtualClock;
  #settle: () => Promise<void>;
  #live = new Set<VirtualTimer>();
  #order = 0;

  constructor(clock: VirtualClock, settle: () => Promise<void>) {
    this.#clock = clock;
    this.#settle = settle;
  }

  once(callback: () => void, delayMs: number): TimerHandle {
    return this.#add(callback, Math.max(0, delayMs), 0);
  }

  /** Throws RangeError unless `intervalMs` is positive. */
  repeat(callback: () => void, intervalMs: number): TimerHandle {
    if (!(intervalMs > 0)) throw new RangeError(`repeat interval must be positive, got ${intervalMs}`);
    return this.#add(callback, intervalMs, intervalMs);
  }

  clear(handle: TimerHandle | undefined): void {
    this.#live.delete(handle as VirtualTimer);
  }

  /** Timers scheduled and not yet fired or cleared. */
  get pending(): number {
    return this.#live.size;
  }

  /**
   * Moves the clock forward by `ms`, firing every timer that falls due on
   * the way at its due time, and letting promise jobs run after each one.
   * A callback's exception propagates (the firmware must not throw into the
   * platform). Resolves with the number of firings; throws RangeError after
   * 100,000 firings in one call.
   */
  async advance(ms: number): Promise<number> {
    if (!(ms >= 0)) throw new RangeError(`advance needs a non-negative ms, got ${ms}`);
    const target = this.#clock.monotonic() + ms;
    let fired = 0;
    await this.#settle();
    for (let next = this.#next(target); next; next = this.#next(target)) {
      if (++fired > MAX_FIRINGS_PER_ADVANCE) throw new RangeError(`more than ${MAX_FIRINGS_PER_ADVANCE} timer firings in one advance`);
      this.#clock.moveTo(next.due);
      if (next.interval > 0) next.due += next.interval;
      else this.#live.delete(next);
      next.callback();
      await this.#settle();
    }
    this.#clock.moveTo(target);
    return fired;
  }

  #add(callback: () => void, delay: number, interval: number): TimerHandle {
    const timer: VirtualTimer = { due: this.#clock.monotonic() + delay, interval, order: this.#order++, callback };
    this.#live.add(timer);
    return timer;
  }

  #next(limit: number): VirtualTimer | undefined {
    let best: VirtualTimer | undefined;
    for (const timer of this.#live)
      if (timer.due <= limit && (!best || timer.due < best.due || (timer.due === best.due && timer.order < best.order))) best = timer;
    return best;
  }
}

const KEY_PATTERN = /^[A-Za-z0-9._-]+$/;

/** Flash in memory with the limits every host honours (15-char keys, 4,000-byte values). */
export class MemoryStorage implements Storage {
  #entries = new Map<string, Uint8Array>();
  /** When set, writes throw as a full flash does. */
  full = false;
  writes = 0;

  read(key: string): Uint8Array | undefined {
    checkKey(key);
    const value = this.#entries.get(key);
    return value && value.slice();
  }

  /** Throws RangeError for a bad key or an oversized value, Error when `full`. */
  write(key: string, value: Uint8Array): void {
    checkKey(key);
    if (value.byteLength > STORAGE_VALUE_MAX)
      throw new RangeError(`storage value for "${key}" is ${value.byteLength} bytes, at most ${STORAGE_VALUE_MAX}`);
    if (this.full) throw new Error("flash full");
    this.writes++;
    this.#entries.set(key, value.slice());
  }

  delete(key: string): void {
    checkKey(key);
    this.#entries.delete(key);
  }

  keys(): string[] {
    return [...this.#entries.keys()].sort();
  }
}

function checkKey(key: string): void {
  if (typeof key !== "string" || key.length > STORAGE_KEY_MAX || !KEY_PATTERN.test(key))
    throw new RangeError(`storage key must be 1..${STORAGE_KEY_MAX} characters of [A-Za-z0-9._-], got "${key}"`);
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

  /** Delivers an incoming PUBLISH on the latest connection. */
  deliver(topic: string, payload: Uint8Array): void {
    this.#latest().events.onMessage(topic, payload);
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

