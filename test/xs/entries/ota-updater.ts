/**
 * Guest entry: the OTA state machine on XS (modules/ota): "sha256" (bytes →
 * hex), "verify" (P-256 key, digest, signature as hex → boolean), and
 * "update" (a whole update with a fake slot pair and HTTP client on the
 * virtual clock, then the restarts that confirm or roll it back; returns
 * what the node said).
 */
import { Counters } from "../../../modules/counters.js";
import { Logger } from "../../../modules/log.js";
import type { CommandResponse } from "../../../modules/mqtt/commands.js";
import { bytesToHex, hexToBytes } from "../../../modules/ota/hex.js";
import { OtaUpdater } from "../../../modules/ota/ota-updater.js";
import { verifyP256 } from "../../../modules/ota/p256.js";
import { sha256 } from "../../../modules/ota/sha256.js";
import { ManualHttp, MemoryOtaSlots } from "../../helpers/memory-ota.js";
import { memoryPlatform } from "../../helpers/memory-platform.js";
import type { XsGuest } from "../../helpers/xs.js";

declare const xsHarness: XsGuest;

xsHarness.on("sha256", (bytes: number[]) => bytesToHex(sha256(new Uint8Array(bytes))));
xsHarness.on("verify", ([key, digest, sig]: string[]) => verifyP256(hexToBytes(key)!, hexToBytes(digest)!, hexToBytes(sig)!));

interface UpdateInput {
  key: string;
  image: number[];
  fields: Record<string, unknown>;
  /** After the restart: "connect" (confirms), "silent" (the confirm time runs out), "power-cut" (restart before confirming). */
  then: "connect" | "silent" | "power-cut";
}

xsHarness.on("update", (input: UpdateInput) => {
  const mem = memoryPlatform();
  const slots = new MemoryOtaSlots(1 << 20, "1.0.0");
  const http = new ManualHttp();
  const platform = { ...mem.platform, ota: slots, http };
  const said: string[] = [];
  const responses: CommandResponse[] = [];
  const boot = () => {
    const updater = new OtaUpdater({
      platform, log: new Logger(platform), counters: new Counters(), event: (kind, detail) => said.push(`${kind}: ${detail}`),
      respond: (r) => { responses.push(r); return 1; }, runningVersion: slots.runningVersion(),
      settings: () => ({ key: input.key, confirmS: 30, stallS: 10, allowDowngrade: false }),
    });
    updater.boot();
    return updater;
  };
  const first = boot();
  const started = first.start("x1", new Map(Object.entries(input.fields)));
  if (started.ok) {
    http.send(new Uint8Array(input.image), 333);
    http.handlers?.onDone();
    mem.advance(0);
    mem.advance(2000);
  }
  const switched = mem.restarts === 1;
  if (switched) {
    slots.bootloader();
    const second = boot();
    if (input.then === "connect") second.connected();
    else if (input.then === "silent") mem.advance(30_000);
    if (input.then !== "connect") {
      slots.bootloader();
      boot().connected();
    }
  }
  return {
    started: started.ok,
    switched,
    running: slots.runningVersion(),
    said,
    responses: responses.map((r) => ({ id: r.id, ok: r.ok, code: r.code ?? null, error: r.error ?? null, state: r.result instanceof Map ? r.result.get("state") : null })),
  };
});
xsHarness.report({ loaded: true });
