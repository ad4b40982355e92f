/**
 * The node's one error-code vocabulary. Every failure a user can see has one
 * code here, spelled as the serial console prints it (`ERR <code> <message>`,
 * README); the MQTT response code (docs/contracts.md) of the same failure is
 * the value in `ERROR_CODES`. Both surfaces take their codes from this table,
 * so no adapter translates by hand.
 */

/** Each code (console spelling) and its MQTT `resp` code. */
export const ERROR_CODES = Object.freeze({
  "unknown-command": "unknown_verb",
  usage: "bad_request",
  "bad-request": "bad_request",
  "unknown-key": "out_of_range",
  "bad-type": "out_of_range",
  "bad-value": "out_of_range",
  rule: "out_of_range",
  confirm: "bad_request",
  "unknown-channel": "not_found",
  "unknown-actuator": "not_found",
  "min-on": "forbidden",
  "min-off": "forbidden",
  held: "held",
  forbidden: "forbidden",
  "not-allowed": "not_allowed",
  "read-failed": "failed",
  fault: "failed",
  "line-too-long": "too_large",
  "too-long": "too_large",
  "too-large": "too_large",
  "bad-quote": "bad_request",
  expired: "expired",
  "no-clock": "no_clock",
  unsupported: "unsupported",
  storage: "storage",
  busy: "failed",
  internal: "failed",
} as const);

/** A code as the console prints it. */
export type ErrorCode = keyof typeof ERROR_CODES;
/** A code as an MQTT response carries it. */
export type MqttCode = (typeof ERROR_CODES)[ErrorCode];

/** Whether `code` is one of the vocabulary's (console) codes. */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === "string" && Object.prototype.hasOwnProperty.call(ERROR_CODES, code);
}

/** An error that carries its code; thrown by anything whose failure a user sees. */
export class CodedError extends Error {
  readonly code: string;

  constructor(code: ErrorCode | string, message: string) {
    super(message);
    this.code = code;
  }
}

/**
 * The code of any thrown value: its own string `code` when it has a
 * kebab-case one, else `bad-type` for a TypeError and `bad-value` for a
 * RangeError (validation), else `internal`.
 */
export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === "string" && /^[a-z][a-z0-9-]{0,23}$/.test(code)) return code;
  if (error instanceof TypeError) return "bad-type";
  if (error instanceof RangeError) return "bad-value";
  return "internal";
}

/** The MQTT response code of a console code (`failed` for one outside the vocabulary). */
export function mqttCode(code: string): MqttCode {
  return isErrorCode(code) ? ERROR_CODES[code] : "failed";
}

/** Plain words for the errno codes a host's flash (or file) storage throws. */
const STORAGE_REASONS: Readonly<Record<string, string>> = Object.freeze({
  ENOSPC: "the storage is full",
  EROFS: "the storage is read-only",
  EACCES: "no permission to write the storage",
  EPERM: "no permission to write the storage",
  ENOENT: "the storage directory is missing",
  EISDIR: "a directory stands where a record should be",
  ENOTDIR: "the storage path is not a directory",
  EIO: "the storage reported an I/O error",
});

/**
 * A `storage` CodedError for a failed flash write: "`action` failed: <plain
 * reason>", the reason in words when the host's error carries a known errno
 * code (ENOSPC, EROFS, EACCES, ENOENT, EISDIR, ...), else its own message.
 */
export function storageError(action: string, error: unknown): CodedError {
  const code = (error as { code?: unknown })?.code;
  const plain = typeof code === "string" && Object.prototype.hasOwnProperty.call(STORAGE_REASONS, code)
    ? `${STORAGE_REASONS[code]} (${code})`
    : String((error as Error)?.message ?? error).slice(0, 120);
  return new CodedError("storage", `${action} failed: ${plain}`);
}
