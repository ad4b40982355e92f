/**
 * The OTA's note in flash (key `ota.state`), so that what happened is
 * reported after any restart: written when a download starts ("download")
 * and just before the new slot is selected ("switched"), erased once the
 * outcome has been reported. A record that does not parse is treated as
 * absent. Never throws on read.
 */
import type { Storage } from "../platform.js";
import { decodeUtf8, encodeUtf8 } from "../util/utf8.js";

/** Storage key of the record. */
export const OTA_RECORD_KEY = "ota.state";

/** What the record holds. */
export interface OtaRecord {
  /** The command id. */
  id: string;
  phase: "download" | "switched";
  /** Running version when it started, and the image's (once its header was read). */
  from: string;
  to?: string;
  /** Why the firmware itself rolled back (the confirm time ran out). */
  reason?: string;
}

/** Reads the record, or `undefined` when there is none or it does not parse. */
export function readOtaRecord(storage: Storage): OtaRecord | undefined {
  try {
    const bytes = storage.read(OTA_RECORD_KEY);
    if (!bytes) return undefined;
    const value = JSON.parse(decodeUtf8(bytes)) as OtaRecord;
    if (typeof value?.id !== "string" || (value.phase !== "download" && value.phase !== "switched") || typeof value.from !== "string") return undefined;
    return value;
  } catch {
    return undefined;
  }
}

/** Writes the record; throws when the flash refuses it (the caller refuses the OTA). */
export function writeOtaRecord(storage: Storage, record: OtaRecord): void {
  storage.write(OTA_RECORD_KEY, encodeUtf8(JSON.stringify(record)));
}

/** Erases the record; a failing flash is ignored (the next boot reports the outcome again). */
export function clearOtaRecord(storage: Storage): void {
  try {
    storage.delete(OTA_RECORD_KEY);
  } catch {
    // Reported again next boot: harmless.
  }
}
