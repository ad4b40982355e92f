/**
 * The OTA state machine (docs/contracts.md, "OTA"): `cmd/ota` → download in
 * chunks into the inactive slot (hashing as it goes, in bounded RAM) →
 * verify SHA-256 and the ECDSA P-256 signature → select the slot → restart
 * → the new firmware confirms at its first broker connection within
 * `ota.confirm_s`, or rolls back. Every refusal and failure keeps the
 * running firmware, answers on `.../resp` with the command's id and raises
 * an event; the outcome of a restart (confirmed, rolled back, interrupted)
 * is reported after it from the flash record (ota-record.ts). Sampling and
 * publishing go on throughout: nothing here blocks. Never throws.
 */
import type { Counters } from "../counters.js";
import type { Logger } from "../log.js";
import type { CommandOutcome, CommandResponse } from "../mqtt/commands.js";
import type { Platform, TimerHandle } from "../platform.js";
import { compareVersions, IMAGE_HEADER_BYTES, parseImageHeader } from "./image-header.js";
import { hexToBytes } from "./hex.js";
import { parseOtaRequest, type OtaRequest } from "./ota-request.js";
import { clearOtaRecord, readOtaRecord, writeOtaRecord, type OtaRecord } from "./ota-record.js";
import { verifyP256 } from "./p256.js";
import { Sha256 } from "./sha256.js";

/** Delay between the last response and the restart, so it leaves first. */
export const OTA_RESTART_DELAY_MS = 1000;
/** Progress events: one each time the download passes another quarter. */
const PROGRESS_STEPS = 4;

/** The `ota.*` settings, read when a command arrives (and at boot for `confirmS`). */
export interface OtaSettings {
  /** `ota.key`: 130 hex digits of the uncompressed P-256 public key, or "" (no updates). */
  key: string;
  confirmS: number;
  stallS: number;
  allowDowngrade: boolean;
}

/** What the updater needs from the node. */
export interface OtaDeps {
  platform: Platform;
  log: Logger;
  counters: Counters;
  /** Raises a node event (published on `.../evt`, queued while offline). */
  event(kind: string, detail: string): void;
  /** Publishes a response on `.../resp`; false when it could not go out. */
  respond(response: CommandResponse): number | false;
  settings(): OtaSettings;
  /** The version this boot runs. */
  runningVersion: string;
}

type Phase = "idle" | "downloading" | "verifying" | "restarting" | "confirming";

/** See the file comment. */
export class OtaUpdater {
  #deps: OtaDeps;
  #phase: Phase = "idle";
  #id = "";
  #request?: OtaRequest;
  #transfer?: { abort(): void };
  #hash?: Sha256;
  #head = new Uint8Array(IMAGE_HEADER_BYTES);
  #received = 0;
  #to?: string;
  #steps = 0;
  #stall?: TimerHandle;
  #confirmTimer?: TimerHandle;
  /** A boot's outcome, published at the first connection. */
  #pendingResponse?: CommandResponse;

  constructor(deps: OtaDeps) {
    this.#deps = deps;
  }

  /** What the updater is doing: "idle", "downloading 40%", "verifying", "restarting", "confirming". */
  get state(): string {
    return this.#phase === "downloading" && this.#request ? `downloading ${Math.floor((this.#received * 100) / this.#request.size)}%` : this.#phase;
  }

  /**
   * At boot: a new image pending confirmation starts the confirm timer; a
   * record left by the previous boot is turned into its outcome (rolled back,
   * interrupted, confirmed), raised as an event now and answered on
   * `.../resp` at the first connection.
   */
  boot(): void {
    const { platform, event } = this.#deps;
    const record = readOtaRecord(platform.storage);
    const running = this.#deps.runningVersion;
    if (platform.ota?.pendingConfirm()) {
      this.#phase = "confirming";
      this.#id = record?.id ?? "";
      const seconds = this.#deps.settings().confirmS;
      this.#confirmTimer = platform.timers.once(() => this.#rollback(`no broker connection within ota.confirm_s = ${seconds} s`), seconds * 1000);
      event("ota", `running ${running} on trial: it must reach the broker within ${seconds} s or the next boot rolls back`);
      return;
    }
    if (!record) return;
    clearOtaRecord(platform.storage);
    if (record.phase === "switched" && record.to === running) {
      this.#outcome(record.id, true, "confirmed", `${running} confirmed`);
      return;
    }
    const reason = record.phase === "download"
      ? `interrupted: the node restarted during the download; ${running} kept`
      : `${record.to ?? "the new firmware"} rolled back to ${running}: ${record.reason ?? "it restarted before it confirmed"}`;
    this.#deps.counters.add("ota_rolled_back");
    this.#deps.event(record.phase === "download" ? "ota_failed" : "ota_rolled_back", reason);
    this.#pendingResponse = { id: record.id, ok: false, code: "failed", error: reason };
  }

  /** At each broker connection (CONNACK): confirms a new image on trial, and sends a boot's outcome. */
  connected(): void {
    const { platform } = this.#deps;
    if (this.#phase === "confirming") {
      platform.timers.clear(this.#confirmTimer);
      try {
        platform.ota?.confirm();
      } catch (error) {
        this.#deps.log.error("ota", `confirm failed: ${(error as Error).message}`);
        return;
      }
      this.#phase = "idle";
      clearOtaRecord(platform.storage);
      this.#outcome(this.#id, true, "confirmed", `${this.#deps.runningVersion} confirmed`);
    }
    if (this.#pendingResponse && this.#deps.respond(this.#pendingResponse) !== false) this.#pendingResponse = undefined;
  }

  /** Handles `cmd/ota`: starts the download, or refuses with the reason (and changes nothing). */
  start(id: string, args: Map<string, unknown>): CommandOutcome {
    const { platform } = this.#deps;
    const parsed = parseOtaRequest(args);
    if (!parsed.ok) return parsed;
    if (!platform.http || !platform.ota) return { ok: false, code: "unsupported", error: "this host has no OTA slots or HTTP client" };
    if (this.#phase !== "idle") return { ok: false, code: "failed", error: `busy: an update is ${this.state}${this.#id ? ` (id ${this.#id})` : ""}` };
    const settings = this.#deps.settings();
    if (settings.key === "") return { ok: false, code: "not_allowed", error: "no update key: set ota.key at the console first" };
    const payload = parsed.request.size - IMAGE_HEADER_BYTES;
    if (payload > platform.ota.slotBytes) return { ok: false, code: "out_of_range", error: `"size" ${parsed.request.size} exceeds the slot (${platform.ota.slotBytes} bytes + ${IMAGE_HEADER_BYTES} of header)` };
    try {
      writeOtaRecord(platform.storage, { id, phase: "download", from: this.#deps.runningVersion });
    } catch (error) {
      return { ok: false, code: "storage", error: `writing the OTA record failed: ${(error as Error).message}` };
    }
    this.#phase = "downloading";
    this.#id = id;
    this.#request = parsed.request;
    this.#hash = new Sha256();
    this.#received = 0;
    this.#steps = 0;
    this.#to = undefined;
    this.#armStall();
    this.#deps.event("ota", `${id}: downloading ${parsed.request.size} bytes`);
    try {
      const request = platform.http.get(parsed.request.url, {
        onChunk: (bytes) => this.#guard(() => this.#chunk(bytes)),
        onDone: () => this.#guard(() => this.#done()),
        onError: (message) => this.#guard(() => this.#fail("failed", `download failed: ${String(message).slice(0, 200)}`)),
      });
      if (this.#phase === "downloading") this.#transfer = request;
      else request.abort();
    } catch (error) {
      this.#fail("failed", `download failed: ${(error as Error).message}`);
      return { ok: false, code: "failed", error: `download failed: ${(error as Error).message}` };
    }
    return { ok: true, result: new Map<string, unknown>([["state", "downloading"], ["size", parsed.request.size]]) };
  }

  #guard(step: () => void): void {
    try {
      step();
    } catch (error) {
      this.#deps.counters.add("internal_errors");
      this.#fail("failed", `internal error: ${(error as Error).message}`);
    }
  }

  #armStall(): void {
    const { timers } = this.#deps.platform;
    timers.clear(this.#stall);
    const seconds = this.#deps.settings().stallS;
    this.#stall = timers.once(() => this.#fail("failed", `download stalled: no data for ${seconds} s (ota.stall_s) after ${this.#received} bytes`), seconds * 1000);
  }

  #chunk(bytes: Uint8Array): void {
    if (this.#phase !== "downloading" || !this.#request) return;
    const ota = this.#deps.platform.ota!;
    const size = this.#request.size;
    if (this.#received + bytes.byteLength > size) return this.#fail("failed", `the server sent more than "size" ${size} bytes`);
    this.#armStall();
    this.#hash!.update(bytes);
    let rest = bytes;
    if (this.#received < IMAGE_HEADER_BYTES) {
      const take = Math.min(IMAGE_HEADER_BYTES - this.#received, bytes.byteLength);
      this.#head.set(bytes.subarray(0, take), this.#received);
      rest = bytes.subarray(take);
      if (this.#received + take === IMAGE_HEADER_BYTES && !this.#header()) return;
    }
    this.#received += bytes.byteLength;
    if (rest.byteLength > 0) ota.write(rest);
    const step = Math.floor((this.#received * PROGRESS_STEPS) / size);
    if (step > this.#steps && step < PROGRESS_STEPS) {
      this.#steps = step;
      this.#deps.event("ota", `${this.#id}: ${Math.floor((step * 100) / PROGRESS_STEPS)}% (${this.#received} of ${size} bytes)`);
    }
  }

  /** Checks the image header against the request and the running version, then opens the slot; false after a refusal. */
  #header(): boolean {
    let header;
    try {
      header = parseImageHeader(this.#head);
    } catch (error) {
      this.#fail("bad_request", (error as Error).message);
      return false;
    }
    const request = this.#request!;
    const running = this.#deps.runningVersion;
    if (header.payloadBytes !== request.size - IMAGE_HEADER_BYTES) {
      this.#fail("bad_request", `image header says ${header.payloadBytes} payload bytes, "size" ${request.size} leaves ${request.size - IMAGE_HEADER_BYTES}`);
      return false;
    }
    if (request.version !== undefined && request.version !== header.version) {
      this.#fail("bad_request", `image header carries ${header.version}, the command said "version" ${request.version}`);
      return false;
    }
    if ((compareVersions(header.version, running) ?? 0) < 0 && !this.#deps.settings().allowDowngrade) {
      this.#fail("forbidden", `image ${header.version} is older than the running ${running} (ota.allow_downgrade is off)`);
      return false;
    }
    this.#to = header.version;
    try {
      this.#deps.platform.ota!.begin(header.payloadBytes, header.version);
    } catch (error) {
      this.#fail("failed", `opening the slot failed: ${(error as Error).message}`);
      return false;
    }
    return true;
  }

  #done(): void {
    if (this.#phase !== "downloading" || !this.#request) return;
    const size = this.#request.size;
    if (this.#received < size) return this.#fail("failed", `download truncated: ${this.#received} of ${size} bytes`);
    this.#transfer = undefined;
    this.#deps.platform.timers.clear(this.#stall);
    this.#phase = "verifying";
    // Verified from a timer of its own: the signature check takes a while on the board.
    this.#deps.platform.timers.once(() => this.#guard(() => this.#verify()), 0);
  }

  #verify(): void {
    if (this.#phase !== "verifying") return;
    const { platform } = this.#deps;
    const request = this.#request!;
    const digest = this.#hash!.digest();
    if (!sameBytes(digest, request.sha256)) return this.#fail("bad_request", "SHA-256 of the download does not match \"sha256\"");
    const key = hexToBytes(this.#deps.settings().key);
    if (!key || !verifyP256(key, digest, request.sig)) return this.#fail("forbidden", "signature does not verify under ota.key");
    const record: OtaRecord = { id: this.#id, phase: "switched", from: this.#deps.runningVersion, to: this.#to! };
    try {
      writeOtaRecord(platform.storage, record);
      platform.ota!.end();
    } catch (error) {
      return this.#fail("failed", `selecting the new slot failed: ${(error as Error).message}`);
    }
    this.#phase = "restarting";
    this.#deps.counters.add("ota_switched");
    this.#deps.event("ota", `${this.#id}: ${this.#to} verified; restarting into it (it must confirm within ${this.#deps.settings().confirmS} s)`);
    this.#deps.respond({ id: this.#id, ok: true, result: new Map<string, unknown>([["state", "restarting"], ["version", this.#to]]) });
    platform.timers.once(() => platform.system.restart(), OTA_RESTART_DELAY_MS);
  }

  #fail(code: CommandResponse["code"] & string, reason: string): void {
    if (this.#phase !== "downloading" && this.#phase !== "verifying") return;
    const { platform } = this.#deps;
    platform.timers.clear(this.#stall);
    const transfer = this.#transfer;
    this.#transfer = undefined;
    this.#phase = "idle";
    try {
      transfer?.abort();
    } catch {
      // Already gone.
    }
    platform.ota?.abort();
    clearOtaRecord(platform.storage);
    this.#deps.counters.add("ota_failed");
    const detail = `${this.#id}: refused, ${this.#deps.runningVersion} kept: ${reason}`;
    this.#deps.event("ota_failed", detail);
    this.#deps.respond({ id: this.#id, ok: false, code, error: reason });
  }

  #rollback(reason: string): void {
    if (this.#phase !== "confirming") return;
    const { platform } = this.#deps;
    const record = readOtaRecord(platform.storage);
    try {
      writeOtaRecord(platform.storage, { id: this.#id, phase: "switched", from: record?.from ?? "", to: this.#deps.runningVersion, ...record, reason });
    } catch {
      // The rollback goes on; the report says "restarted before it confirmed".
    }
    this.#deps.log.warn("ota", `rolling back: ${reason}`);
    platform.ota?.rollback();
  }

  #outcome(id: string, ok: boolean, state: string, detail: string): void {
    this.#deps.counters.add("ota_confirmed");
    this.#deps.event("ota_confirmed", detail);
    this.#pendingResponse = { id, ok, result: new Map<string, unknown>([["state", state], ["version", this.#deps.runningVersion]]) };
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  let diff = 0;
  for (let i = 0; i < a.byteLength; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}
