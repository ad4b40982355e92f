import { nearest } from "../util/nearest.js";

/** Alarm types a channel may have (issue 12, item 5). */
export const ALARM_TYPES = ["hh", "high", "low", "ll", "rate", "bad"] as const;
export type AlarmType = (typeof ALARM_TYPES)[number];

/** Longest `ch.<name>.alarm` text (characters). */
export const MAX_ALARM_TEXT = 160;
/** Longest on or off delay, s (a day). */
export const MAX_ALARM_DELAY_S = 86_400;

/**
 * One alarm of a channel: `limit` in the channel's unit (rate: unit per
 * second; bad: none), `hyst` the deadband it must leave by to clear (default
 * 0), `delayS` how long the condition must hold before it is raised and
 * `offS` how long the clear condition must hold before it clears (default 0).
 */
export interface AlarmSpec {
  type: AlarmType;
  limit: number;
  hyst: number;
  delayS: number;
  offS: number;
}

/** The result of `parseAlarms`: the alarms in ALARM_TYPES order, or the first problem with its 1-based column. */
export type AlarmParse = { ok: true; alarms: AlarmSpec[] } | { ok: false; column: number; reason: string };

const OPTIONS = ["hyst", "delay", "off"] as const;

/**
 * Parses a `ch.<name>.alarm` text: clauses separated by `;`, each
 * `<type> <limit> [hyst <h>] [delay <s>] [off <s>]` with type one of
 * ALARM_TYPES (`bad` takes no limit), e.g. `high 80 hyst 2 delay 5; low 10`.
 * Rules: each type once, hyst and delays 0 or more (delays at most a day),
 * rate's limit above 0, and the limits in order ll < low < high < hh for
 * those given. An empty text is no alarm. Never throws: a bad text gives the
 * column of the offending token and the reason (outside text quoted).
 */
export function parseAlarms(text: string): AlarmParse {
  if (text.length > MAX_ALARM_TEXT) return fail(MAX_ALARM_TEXT + 1, `an alarm text is at most ${MAX_ALARM_TEXT} characters, got ${text.length}`);
  const alarms: AlarmSpec[] = [];
  const columns = new Map<AlarmType, number>();
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf(";", start);
    if (end < 0) end = text.length;
    const tokens = tokenize(text, start, end);
    start = end + 1;
    if (tokens.length === 0) continue;
    const [head, ...rest] = tokens;
    const type = head.text as AlarmType;
    if (!(ALARM_TYPES as readonly string[]).includes(type)) {
      const near = nearest(head.text, ["high", "low", "hh", "ll", "rate", "bad"]);
      return fail(head.column, `unknown alarm ${JSON.stringify(head.text)}${near ? `; did you mean "${near}"?` : `; alarms are ${ALARM_TYPES.join(", ")}`}`);
    }
    if (columns.has(type)) return fail(head.column, `${type} given twice`);
    columns.set(type, head.column);
    const alarm: AlarmSpec = { type, limit: 0, hyst: 0, delayS: 0, offS: 0 };
    let i = 0;
    if (type !== "bad") {
      const limit = rest[0];
      if (!limit) return fail(head.column + head.text.length, `${type} needs a limit`);
      const value = number(limit.text);
      if (value === undefined) return fail(limit.column, `${type} limit must be a finite number, got ${JSON.stringify(limit.text)}`);
      if (type === "rate" && !(value > 0)) return fail(limit.column, `rate limit (per s) must be above 0, got ${limit.text}`);
      alarm.limit = value;
      i = 1;
    }
    const seen = new Set<string>();
    for (; i < rest.length; i += 2) {
      const name = rest[i];
      if (!(OPTIONS as readonly string[]).includes(name.text) || (type === "bad" && name.text === "hyst"))
        return fail(name.column, `expected ${type === "bad" ? "delay or off" : "hyst, delay or off"}, got ${JSON.stringify(name.text)}`);
      if (seen.has(name.text)) return fail(name.column, `${name.text} given twice`);
      seen.add(name.text);
      const arg = rest[i + 1];
      if (!arg) return fail(name.column + name.text.length, `${name.text} needs a value`);
      const value = number(arg.text);
      if (value === undefined || value < 0) return fail(arg.column, `${name.text} must be a number 0 or more, got ${JSON.stringify(arg.text)}`);
      if (name.text !== "hyst" && value > MAX_ALARM_DELAY_S) return fail(arg.column, `${name.text} must be at most ${MAX_ALARM_DELAY_S} s, got ${arg.text}`);
      if (name.text === "hyst") alarm.hyst = value;
      else if (name.text === "delay") alarm.delayS = value;
      else alarm.offS = value;
    }
    alarms.push(alarm);
  }
  const limit = (type: AlarmType) => alarms.find((a) => a.type === type)?.limit;
  const order: AlarmType[] = ["ll", "low", "high", "hh"];
  for (let a = 0; a < order.length; a++)
    for (let b = a + 1; b < order.length; b++) {
      const below = limit(order[a]);
      const above = limit(order[b]);
      if (below !== undefined && above !== undefined && !(above > below))
        return fail(columns.get(order[b])!, `${order[b]} ${above} must be above ${order[a]} ${below}`);
    }
  alarms.sort((a, b) => ALARM_TYPES.indexOf(a.type) - ALARM_TYPES.indexOf(b.type));
  return { ok: true, alarms };
}

/** The reason a `ch.<name>.alarm` text is refused (`at column N: ...`), or undefined when it parses: the schema's check. */
export function checkAlarmText(text: string): string | undefined {
  const parsed = parseAlarms(text);
  return parsed.ok ? undefined : `at column ${parsed.column}: ${parsed.reason}`;
}

function fail(column: number, reason: string): AlarmParse {
  return { ok: false, column, reason };
}

/** Blank-separated words of text[from, to) with their 1-based columns. */
function tokenize(text: string, from: number, to: number): { text: string; column: number }[] {
  const tokens: { text: string; column: number }[] = [];
  let i = from;
  while (i < to) {
    while (i < to && (text[i] === " " || text[i] === "\t")) i++;
    const begin = i;
    while (i < to && text[i] !== " " && text[i] !== "\t") i++;
    if (i > begin) tokens.push({ text: text.slice(begin, i), column: begin + 1 });
  }
  return tokens;
}

/** A decimal number (digits, sign, point, exponent only), or undefined. */
function number(token: string): number | undefined {
  if (token.length === 0 || token.length > 24) return undefined;
  for (const c of token) if ("0123456789+-.eE".indexOf(c) < 0) return undefined;
  const value = Number(token);
  return Number.isFinite(value) ? value : undefined;
}
