/** An in-memory Platform (XS-safe: no Node built-ins) for console/config tests: map flash, captured console, manual clock. */
import { STORAGE_VALUE_MAX, type ConsolePort, type Platform, type Storage } from "../../modules/platform.js";
import { FakeTimers } from "./fake-timers.js";
import { simulatedBoard } from "../../modules/io/models/index.js";
import { encodeUtf8 } from "../../modules/util/utf8.js";

export class MemoryStorage implements Storage {
  readonly map = new Map<string, Uint8Array>();
  writes = 0;
  /** When set, called before each write; may throw (power loss) or return bytes to store instead. */
  beforeWrite?: (key: string, value: Uint8Array, index: number) => Uint8Array | void;
  read(key: string) {
    const v = this.map.get(key);
    return v && v.slice();
  }
  write(key: string, value: Uint8Array) {
    if (value.length > STORAGE_VALUE_MAX) throw new RangeError("too big");
    const index = this.writes++;
    const replaced = this.beforeWrite?.(key, value, index);
    this.map.set(key, (replaced ?? value).slice());
  }
  delete(key: string) {
    this.map.delete(key);
  }
  keys() {
    return [...this.map.keys()].sort();
  }
}

export class CapturePort implements ConsolePort {
  out = "";
  #receiver?: (b: Uint8Array) => void;
  constructor(readonly interactive = false) {}
  onReceive(r: (b: Uint8Array) => void) {
    this.#receiver = r;
  }
  write(text: string) {
    this.out += text;
  }
  type(text: string | Uint8Array) {
    this.#receiver!(typeof text === "string" ? encodeUtf8(text) : text);
  }
  take(): string {
    const t = this.out;
    this.out = "";
    return t;
  }
}

export function memoryPlatform(options: { storage?: MemoryStorage; port?: CapturePort } = {}) {
  const time = new FakeTimers();
  const storage = options.storage ?? new MemoryStorage();
  const port = options.port ?? new CapturePort();
  const board = simulatedBoard(() => time.monotonic(), 7);
  const logs: string[] = [];
  let restarts = 0;
  const platform: Platform = {
    name: "test",
    clock: time,
    timers: time,
    storage,
    console: port,
    mqtt: { connect: (_o, events) => { void Promise.resolve().then(() => events.onClose({ stage: "tcp", message: "no network in tests" })); return { publish: () => false, subscribe() {}, disconnect() {}, destroy() {} }; } },
    io: board.io,
    system: { hardwareId: () => "test-node", resetReason: () => "power-on", restart: () => { restarts++; }, random: Math.random, networkState: () => "up (test)" },
    log: (_level, line) => logs.push(line),
  };
  return {
    platform, storage, port, board, logs,
    get restarts() { return restarts; },
    advance(ms: number) {
      time.advance(ms);
    },
  };
}
