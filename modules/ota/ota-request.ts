/**
 * Validation of the `cmd/ota` arguments (docs/contracts.md, "OTA"): every
 * field is checked before anything starts, and a bad one is named with its
 * value. Pure; never throws.
 */
import type { CommandCode } from "../mqtt/commands.js";
import { hexToBytes } from "./hex.js";
import { IMAGE_HEADER_BYTES, parseVersion } from "./image-header.js";

/** Longest image URL accepted, characters (the command payload is at most 512 bytes in all). */
export const OTA_URL_MAX = 200;

/** A checked `cmd/ota`. */
export interface OtaRequest {
  url: string;
  /** Bytes of the whole image file, header included. */
  size: number;
  /** SHA-256 of the whole image file. */
  sha256: Uint8Array;
  /** ECDSA P-256 over that SHA-256, r||s (64 bytes). */
  sig: Uint8Array;
  /** When given, the image header must carry this version. */
  version?: string;
}

/** The `cmd/ota` arguments besides `id` and `exp`. */
export const OTA_ARGS = Object.freeze(["url", "size", "sha256", "sig", "version"] as const);

/** Checks the arguments of one `cmd/ota`: the request, or the first problem as a response code and message. */
export function parseOtaRequest(args: Map<string, unknown>): { ok: true; request: OtaRequest } | { ok: false; code: CommandCode; error: string } {
  const bad = (error: string) => ({ ok: false as const, code: "bad_request" as const, error });
  const url = args.get("url");
  if (typeof url !== "string") return bad(`"url" is missing or not text, got ${describe(url)}`);
  if (!(url.startsWith("http://") || url.startsWith("https://"))) return bad(`"url" must be http:// or https://, got ${describe(url)}`);
  if (url.length > OTA_URL_MAX) return bad(`"url" is longer than ${OTA_URL_MAX} characters`);
  for (let i = 0; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c <= 0x20 || c >= 0x7f) return bad(`"url" may hold only printable ASCII without spaces, got ${describe(url)}`);
  }
  const size = args.get("size");
  if (typeof size !== "number" || !Number.isInteger(size) || size <= IMAGE_HEADER_BYTES)
    return bad(`"size" must be an integer over ${IMAGE_HEADER_BYTES} (bytes of the image file), got ${describe(size)}`);
  const digestText = args.get("sha256");
  const sha256 = typeof digestText === "string" && digestText.length === 64 ? hexToBytes(digestText) : undefined;
  if (!sha256) return bad(`"sha256" must be 64 hex digits, got ${describe(digestText)}`);
  const sigText = args.get("sig");
  const sig = typeof sigText === "string" && sigText.length === 128 ? hexToBytes(sigText) : undefined;
  if (!sig) return bad(`"sig" must be 128 hex digits (ECDSA P-256 r||s), got ${describe(sigText)}`);
  const version = args.get("version");
  if (version !== undefined && (typeof version !== "string" || !parseVersion(version)))
    return bad(`"version" must be major.minor.patch (0-255 each), got ${describe(version)}`);
  return { ok: true, request: { url, size, sha256, sig, ...(version !== undefined ? { version: version as string } : {}) } };
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return `${typeof value} ${String(value).slice(0, 40)}`;
}
