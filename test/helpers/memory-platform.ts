/** An in-memory Platform (XS-safe: no Node built-ins) for console/config tests: map flash, captured console, manual clock. */
export { MemoryStorage } from "./memory-storage.js";
import type { ConsolePort, Platform } from "../../modules/platform.js";
import { FakeTimers } from "./fake-timers.js";
import { MemoryStorage } from "./memory-storage.js";
import { seededRandom } from "./seeded-random.js";
import { simulatedBoard } from "../../modules/io/models/index.js";
import { encodeUtf8 } from "../../modules/util/utf8.js";

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
    system: { hardwareId: () => "test-node", resetReason: () => "power-on", restart: () => { restarts++; }, random: seededRandom(7), networkState: () => "up (test)" },
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
