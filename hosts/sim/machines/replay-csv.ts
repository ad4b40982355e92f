import { channelNames } from "./channel-names.js";
import { SimInputError } from "./input-error.js";

/** One numeric column of a replay CSV. */
export interface ReplayColumn {
  /** The header as written. */
  header: string;
  /** Its channel name (channel-names.ts). */
  name: string;
}

/** One data row: its line in the file, its time after the first row, its values by column. */
export interface ReplayRow {
  line: number;
  offsetMs: number;
  values: number[];
}

export interface ReplayTable {
  file: string;
  columns: ReplayColumn[];
  rows: ReplayRow[];
}

/** Largest CSV accepted, bytes; longest line, characters. */
export const CSV_MAX_BYTES = 64 * 1024 * 1024;
export const CSV_MAX_LINE = 4096;

/**
 * Parses a replay CSV: a header line, then rows; `;` when the header has
 * one, else `,`. The first column is a timestamp — `YYYY-MM-DD hh:mm:ss[.fff]`
 * (or with `T`, optional `Z`/`±hh:mm`) or a number of seconds — strictly
 * increasing; every other column is numeric (values kept as written, as
 * doubles). Blank lines are skipped; `\r\n` is fine. Throws SimInputError
 * naming the file, the line and the column for: no header, no data row, a
 * row with the wrong number of fields, a bad or non-increasing timestamp, a
 * non-numeric or empty value, a line longer than CSV_MAX_LINE, or no numeric
 * column at all.
 */
export function parseReplayCsv(text: string, file: string): ReplayTable {
  const fail = (line: number | undefined, message: string): never => {
    throw new SimInputError(`replay ${file}${line === undefined ? "" : `: line ${line}`}: ${message}`);
  };
  if (text.length > CSV_MAX_BYTES) fail(undefined, `larger than ${CSV_MAX_BYTES} bytes`);
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  let headerIndex = lines.findIndex((l) => l.trim() !== "");
  if (headerIndex < 0) fail(undefined, "empty file: expected a header line");
  const headerLine = lines[headerIndex];
  if (headerLine.length > CSV_MAX_LINE) fail(headerIndex + 1, `line longer than ${CSV_MAX_LINE} characters`);
  const separator = headerLine.includes(";") ? ";" : ",";
  const headers = headerLine.split(separator).map((h) => h.trim());
  if (headers.length < 2) fail(headerIndex + 1, `expected a timestamp column and at least one value column separated by ";" or ",", got ${JSON.stringify(headerLine.slice(0, 60))}`);
  const names = channelNames(headers.slice(1));
  const columns = headers.slice(1).map((header, i) => ({ header, name: names[i] }));
  const rows: ReplayRow[] = [];
  let first: number | undefined;
  let previous: number | undefined;
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.trim() === "") continue;
    const line = i + 1;
    if (raw.length > CSV_MAX_LINE) fail(line, `line longer than ${CSV_MAX_LINE} characters`);
    const fields = raw.split(separator);
    if (fields.length !== headers.length) fail(line, `${fields.length} fields, the header has ${headers.length}`);
    const time = parseTimestamp(fields[0].trim());
    if (time === undefined) fail(line, `column ${JSON.stringify(headers[0])}: ${JSON.stringify(fields[0].slice(0, 40))} is not a timestamp (YYYY-MM-DD hh:mm:ss or seconds)`);
    if (previous !== undefined && time! <= previous) fail(line, `timestamp ${JSON.stringify(fields[0].trim())} is not after the previous row's`);
    previous = time;
    first ??= time;
    const values = fields.slice(1).map((field, c) => {
      const t = field.trim();
      const value = t === "" ? Number.NaN : Number(t);
      if (!Number.isFinite(value) || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t))
        fail(line, `column ${JSON.stringify(columns[c].header)}: ${JSON.stringify(t.slice(0, 40))} is not a number`);
      return value;
    });
    rows.push({ line, offsetMs: Math.round(time! - first!), values });
  }
  if (rows.length === 0) fail(undefined, "no data rows after the header");
  return { file, columns, rows };
}

/** Epoch-like ms of a timestamp field (UTC when no zone is given), or undefined. */
export function parseTimestamp(text: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return undefined;
  let ms = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s)) + (frac ? Math.round(Number(frac) * 1000) : 0);
  if (zone && zone !== "Z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return ms;
}
