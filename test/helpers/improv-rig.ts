/** An Improv-enabled console on in-memory flash, for the unit and XS tests. XS-safe (no Node built-ins). */
import { ConfigService } from "../../modules/config/config-service.js";
import { configCommands } from "../../modules/console/commands/config.js";
import { Console } from "../../modules/console/console.js";
import { attachImprov } from "../../modules/console/improv.js";
import { Counters } from "../../modules/counters.js";
import type { ConsolePort } from "../../modules/platform.js";
import { encodeUtf8 } from "../../modules/util/utf8.js";
import { parseDeviceStream } from "./improv-client.js";
import { MemoryStorage } from "./memory-storage.js";

/** A console port that keeps text and raw bytes in one byte stream, as a UART would carry them. */
export class BytePort implements ConsolePort {
  readonly interactive = false;
  bytes: number[] = [];
  receiver?: (b: Uint8Array) => void;
  onReceive(r: (b: Uint8Array) => void) {
    this.receiver = r;
  }
  write(text: string) {
    this.bytes.push(...encodeUtf8(text));
  }
  writeBytes(bytes: Uint8Array) {
    this.bytes.push(...bytes);
  }
  send(bytes: Uint8Array | string) {
    this.receiver!(typeof bytes === "string" ? encodeUtf8(bytes) : bytes);
    const out = parseDeviceStream(Uint8Array.from(this.bytes));
    this.bytes = [];
    return out;
  }
}

/** A console with the config commands and Improv attached, on a BytePort; `join` calls are recorded. */
export function improvRig(storage = new MemoryStorage()) {
  const port = new BytePort();
  const counters = new Counters();
  const config = new ConfigService(storage, "node-7");
  const console = new Console(port, counters);
  for (const c of configCommands(config)) console.register(c);
  const joined: { ssid: string; password: string }[] = [];
  attachImprov(console, port, { config, counters, nodeId: "node-7", host: "test", join: (c) => joined.push(c) });
  console.start();
  return { port, config, counters, joined, storage };
}

