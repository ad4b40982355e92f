import type { ConfigService } from "../config/config-service.js";
import type { Counters } from "../counters.js";
import { FIRMWARE_VERSION } from "../version.js";
import {
  ImprovCommand, ImprovError, ImprovState, ImprovType, encodeImprovPacket, encodeImprovResult, parseImprovRpc, parseImprovWifi,
} from "./improv-packet.js";

/** What the Improv service works with. */
export interface ImprovDeps {
  config: ConfigService;
  counters: Counters;
  /** Device name in device info: the node id. */
  nodeId: string;
  /** Hardware chip/variant in device info: the platform name (e.g. "esp32", "sim"). */
  host: string;
  /** Writes one whole packet to the console port, raw. */
  send(packet: Uint8Array): void;
  /** Prints a text line on the console, for the technician (never a secret). */
  note(line: string): void;
  /** Starts joining Wi-Fi with new credentials (the platform's `joinNetwork`), if the host has one. */
  join?(credentials: { ssid: string; password: string }): void;
}

/**
 * Answers Improv serial RPCs (improv-wifi.com/serial): current state, device
 * info ("fieldnode", firmware version, host, node id), Wi-Fi settings. A
 * network scan is answered with "unknown RPC command" (no scan through the
 * platform port yet). Credentials go through the config service exactly as
 * `set wifi.ssid`, `set wifi.password` and `save` do (same validation, the
 * same power-safe write); refused ones change nothing, and neither do
 * credentials sent while the console has unsaved edits of its own.
 */
export class ImprovService {
  #deps: ImprovDeps;

  constructor(deps: ImprovDeps) {
    this.#deps = deps;
  }

  /** The spec's current state: provisioned once a Wi-Fi SSID is saved. */
  get state(): number {
    const view = this.#deps.config.get("wifi.ssid");
    return typeof view.value === "string" && view.value !== "" && !view.unsaved ? ImprovState.provisioned : ImprovState.ready;
  }

  /** A checksum-valid packet from the framer. */
  packet(type: number, data: Uint8Array): void {
    this.#deps.counters.add("improv_packets");
    if (type !== ImprovType.rpc) return this.#error(ImprovError.invalidRpc, `packet type 0x${type.toString(16)} is not an RPC command`);
    const rpc = parseImprovRpc(data);
    if ("error" in rpc) return this.#error(ImprovError.invalidRpc, rpc.error);
    this.#sendError(ImprovError.none);
    switch (rpc.command) {
      case ImprovCommand.currentState:
        this.#sendState(this.state);
        if (this.state === ImprovState.provisioned) this.#deps.send(encodeImprovResult(ImprovCommand.wifiSettings, []));
        return;
      case ImprovCommand.deviceInfo:
        return this.#deps.send(encodeImprovResult(ImprovCommand.deviceInfo, ["fieldnode", FIRMWARE_VERSION, this.#deps.host, this.#deps.nodeId]));
      case ImprovCommand.wifiSettings:
        return this.#wifi(rpc.payload);
      default:
        return this.#error(ImprovError.unknownRpc, `RPC command 0x${rpc.command.toString(16)} is not supported`);
    }
  }

  /** A packet whose checksum or framing was wrong: the error state, nothing changed. */
  bad(reason: string): void {
    this.#error(ImprovError.invalidRpc, reason);
  }

  #wifi(payload: Uint8Array): void {
    const wifi = parseImprovWifi(payload);
    if ("error" in wifi) return this.#error(ImprovError.invalidRpc, wifi.error);
    const config = this.#deps.config;
    const unsaved = config.unsavedKeys().length;
    if (unsaved > 0) return this.#error(ImprovError.unknown, `Wi-Fi settings refused: ${unsaved} unsaved console change(s); save or discard them first`);
    try {
      config.set("wifi.ssid", wifi.ssid);
      config.set("wifi.password", wifi.password);
      config.save();
    } catch (error) {
      config.discard();
      return this.#error(ImprovError.unknown, `Wi-Fi settings refused: ${(error as Error).message}`);
    }
    this.#deps.counters.add("improv_provisioned");
    this.#sendState(ImprovState.provisioning);
    this.#deps.note(`improv: Wi-Fi credentials saved for ${JSON.stringify(wifi.ssid)}`);
    this.#deps.join?.(wifi);
    this.#sendState(ImprovState.provisioned);
    this.#deps.send(encodeImprovResult(ImprovCommand.wifiSettings, []));
  }

  #error(code: number, reason: string): void {
    this.#deps.counters.add("improv_errors");
    this.#deps.note(`improv: ${reason}`);
    this.#sendError(code);
  }

  #sendError(code: number): void {
    this.#deps.send(encodeImprovPacket(ImprovType.errorState, [code]));
  }

  #sendState(state: number): void {
    this.#deps.send(encodeImprovPacket(ImprovType.currentState, [state]));
  }
}
