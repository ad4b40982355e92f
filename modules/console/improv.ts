import type { ConsolePort } from "../platform.js";
import { escapeControls } from "../util/escape-controls.js";
import type { Console } from "./console.js";
import { ImprovFramer } from "./improv-framer.js";
import { ImprovService, type ImprovDeps } from "./improv-service.js";

/**
 * Puts Improv serial provisioning in front of `console`'s line reader: a
 * packet is answered with raw packets on `port`, everything else is console
 * text as before. A port without `writeBytes` gets none (returns undefined).
 */
export function attachImprov(console: Console, port: ConsolePort, deps: Omit<ImprovDeps, "send" | "note">): ImprovService | undefined {
  const writeBytes = port.writeBytes?.bind(port);
  if (!writeBytes) return undefined;
  const service = new ImprovService({
    ...deps,
    send: (packet) => console.interject(() => writeBytes(packet)),
    note: (line) => console.print(escapeControls(line)),
  });
  let toText: (bytes: Uint8Array) => void = () => {};
  const framer = new ImprovFramer({
    text: (bytes) => toText(bytes),
    packet: (type, data) => service.packet(type, data),
    bad: (reason) => service.bad(reason),
  });
  console.frontEnd = (bytes, text) => {
    toText = text;
    try {
      framer.feed(bytes);
    } catch {
      deps.counters.add("internal_errors");
    }
  };
  return service;
}
