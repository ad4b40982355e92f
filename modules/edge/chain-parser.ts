import { nearest } from "../util/nearest.js";
import { FILTER_NAMES, FILTERS } from "./filter-registry.js";

/** Longest chain text (characters). */
export const MAX_CHAIN_TEXT = 200;
/** Most filters in one chain. */
export const MAX_STAGES = 8;

/** One filter of a parsed chain: its name, arguments and where it starts (1-based column). */
export interface StageText {
  name: string;
  args: number[];
  /** The percentage argument was written with `%`. */
  percent: boolean;
  column: number;
}

/** The result of `parseChain`: the stages, or the first problem with its column (1-based) and reason. */
export type ChainParse = { ok: true; stages: StageText[] } | { ok: false; column: number; reason: string };

/**
 * Parses a chain text such as `median(5) | calibrate(1.02, -0.4) | compress(0.05)`
 * (issue 12, item 2): filter names from FILTERS separated by `|`, each with
 * its arguments in parentheses (none: the parentheses may be left out),
 * numbers in decimal or exponent notation, `%` on deadband's band. An empty
 * (or all-blank) text is the empty chain. Checks each argument's rule and the
 * filter's own cross-argument rules. Never throws: a bad text gives the
 * column of the offending token and the reason (unknown filter with the
 * nearest name, wrong argument count, out of range, NaN or Infinity, bad
 * syntax); text shown in a reason is quoted with JSON escapes.
 */
export function parseChain(text: string): ChainParse {
  if (text.length > MAX_CHAIN_TEXT) return fail(MAX_CHAIN_TEXT + 1, `a chain is at most ${MAX_CHAIN_TEXT} characters, got ${text.length}`);
  const stages: StageText[] = [];
  let i = skip(text, 0);
  if (i === text.length) return { ok: true, stages };
  for (;;) {
    i = skip(text, i);
    const column = i + 1;
    const name = word(text, i);
    if (!isLetter(text.charCodeAt(i))) return fail(column, `expected a filter name, got ${shown(text, i)}`);
    if (!Object.prototype.hasOwnProperty.call(FILTERS, name)) {
      const near = nearest(name, FILTER_NAMES);
      return fail(column, `unknown filter ${JSON.stringify(name)}${near ? `; did you mean "${near}"?` : `; filters are ${FILTER_NAMES.join(", ")}`}`);
    }
    if (stages.length === MAX_STAGES) return fail(column, `a chain has at most ${MAX_STAGES} filters`);
    const spec = FILTERS[name];
    i = skip(text, i + name.length);
    const args: number[] = [];
    const columns: number[] = [];
    let percent = false;
    if (text[i] === "(") {
      i = skip(text, i + 1);
      if (text[i] === ")") i++;
      else
        for (;;) {
          i = skip(text, i);
          const token = word(text, i);
          const parsed = number(token);
          if (typeof parsed === "string") {
            const what = `${name}: ${spec.args[args.length]?.name ?? `argument ${args.length + 1}`}`;
            return fail(i + 1, `${what} must be a ${parsed === "infinite" ? "finite " : ""}number, got ${shown(text, i)}`);
          }
          if (token.endsWith("%")) {
            if (spec.percentArg !== args.length) return fail(i + 1, `${name}: ${spec.args[args.length]?.name ?? "an argument"} cannot be a percentage`);
            percent = true;
          }
          args.push(parsed);
          columns.push(i + 1);
          i = skip(text, i + token.length);
          if (text[i] === ",") i++;
          else if (text[i] === ")") {
            i++;
            break;
          } else return fail(i + 1, `expected "," or ")", got ${shown(text, i)}`);
        }
    }
    if (args.length < spec.required || args.length > spec.args.length) return fail(column, `${name} takes ${count(spec.required, spec.args.length)}${spec.args.length ? ` (${spec.args.map((a) => a.name).join(", ")})` : ""}, got ${args.length}`);
    for (let k = 0; k < args.length; k++) {
      const reason = spec.args[k].check(args[k], percent);
      if (reason) return fail(columns[k], `${name}: ${reason}`);
    }
    try {
      spec.create(args, percent);
    } catch (error) {
      return fail(column, (error as Error).message);
    }
    stages.push({ name, args, percent, column });
    i = skip(text, i);
    if (i === text.length) return { ok: true, stages };
    if (text[i] !== "|") return fail(i + 1, `expected "|" or the end of the chain, got ${shown(text, i)}`);
    i = skip(text, i + 1);
    if (i === text.length) return fail(i + 1, "expected a filter name, got the end of the chain");
  }
}

function fail(column: number, reason: string): ChainParse {
  return { ok: false, column, reason };
}

function count(required: number, most: number): string {
  if (most === 0) return "no arguments";
  if (required === most) return `${most} argument${most === 1 ? "" : "s"}`;
  return `${required} to ${most} arguments`;
}

/** A number token's value, or why not: "infinite" (NaN, Infinity, 1e999) or "syntax". */
function number(token: string): number | "infinite" | "syntax" {
  const body = token.endsWith("%") ? token.slice(0, -1) : token;
  const lower = body.toLowerCase();
  const unsigned = lower[0] === "+" || lower[0] === "-" ? lower.slice(1) : lower;
  if (unsigned === "nan" || unsigned === "infinity" || unsigned === "inf") return "infinite";
  if (!isDecimal(unsigned)) return "syntax";
  const value = Number(body);
  return Number.isFinite(value) ? value : "infinite";
}

/** digits [. digits] [e [sign] digits], or . digits [...]: at least one mantissa digit. */
function isDecimal(text: string): boolean {
  let i = 0;
  let digits = 0;
  while (isDigit(text.charCodeAt(i))) (i++, digits++);
  if (text[i] === ".") {
    i++;
    while (isDigit(text.charCodeAt(i))) (i++, digits++);
  }
  if (digits === 0) return false;
  if (text[i] === "e") {
    i++;
    if (text[i] === "+" || text[i] === "-") i++;
    if (!isDigit(text.charCodeAt(i))) return false;
    while (isDigit(text.charCodeAt(i))) i++;
  }
  return i === text.length;
}

/** The run of name or number characters at i (letters, digits, `_`, `.`, `+`, `-`, `%`). */
function word(text: string, i: number): string {
  let j = i;
  while (j < text.length && isWordChar(text.charCodeAt(j))) j++;
  return text.slice(i, j);
}

function shown(text: string, i: number): string {
  if (i >= text.length) return "the end of the chain";
  const token = word(text, i);
  return JSON.stringify(token || text[i]);
}

function skip(text: string, i: number): number {
  while (text[i] === " " || text[i] === "\t") i++;
  return i;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isWordChar(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === 46 || c === 43 || c === 45 || c === 37;
}
