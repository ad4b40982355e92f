/**
 * The expression language of computed channels (`ch.<name>.expr`), parsed
 * once at save by a hand-written recursive-descent parser: no eval, no
 * Function, no RegExp.
 *
 *   expr    := term (("+" | "-") term)*
 *   term    := unary (("*" | "/") unary)*
 *   unary   := "-" unary | primary
 *   primary := number | channel | func "(" expr ("," expr)* ")" | "(" expr ")"
 *   number  := digits ["." digits] [("e" | "E") ["+" | "-"] digits]   (also ".5")
 *   channel := [a-z][a-z0-9_]{0,15}      func := min | max | abs | sqrt
 *
 * Spaces are ignored. Bounds: 128 characters, 64 nodes, nesting 16 deep.
 */

/** A parse error; `position` is the 1-based column of the offending character. */
export class ExpressionError extends RangeError {
  override name = "ExpressionError";
  readonly position: number;
  constructor(position: number, message: string) {
    super(`at ${position}: ${message}`);
    this.position = position;
  }
}

/** A parsed expression: the channels it reads, and its value for given inputs. */
export interface Expression {
  /** Channel names it refers to, each once, in order of first use. */
  readonly inputs: readonly string[];
  /** The value for `value(name)` of each input; may be NaN or ±Infinity (division by zero, sqrt of a negative). */
  evaluate(value: (name: string) => number): number;
}

/** Longest expression text. */
export const EXPRESSION_MAX_LENGTH = 128;
const MAX_NODES = 64;
const MAX_DEPTH = 16;

type Node = (value: (name: string) => number) => number;

const FUNCTIONS: Readonly<Record<string, { min: number; max: number; apply(args: number[]): number }>> = Object.freeze({
  min: { min: 1, max: 8, apply: (args: number[]) => Math.min(...args) },
  max: { min: 1, max: 8, apply: (args: number[]) => Math.max(...args) },
  abs: { min: 1, max: 1, apply: (args: number[]) => Math.abs(args[0]) },
  sqrt: { min: 1, max: 1, apply: (args: number[]) => Math.sqrt(args[0]) },
});

/** Parses `text`; throws ExpressionError (a RangeError) naming the position and what was expected. */
export function parseExpression(text: string): Expression {
  if (typeof text !== "string") throw new TypeError(`expression must be text, got ${typeof text}`);
  if (text.length > EXPRESSION_MAX_LENGTH) throw new ExpressionError(EXPRESSION_MAX_LENGTH + 1, `longer than ${EXPRESSION_MAX_LENGTH} characters`);
  let pos = 0;
  let nodes = 0;
  let depth = 0;
  const inputs: string[] = [];

  const isDigit = (c: string) => c >= "0" && c <= "9";
  const isLower = (c: string) => c >= "a" && c <= "z";
  const skip = () => {
    while (pos < text.length && (text[pos] === " " || text[pos] === "\t")) pos++;
  };
  const shown = () => (pos >= text.length ? "the end" : JSON.stringify(text[pos]));
  const node = (n: Node): Node => {
    if (++nodes > MAX_NODES) throw new ExpressionError(pos + 1, `more than ${MAX_NODES} terms`);
    return n;
  };

  function expr(): Node {
    if (++depth > MAX_DEPTH) throw new ExpressionError(pos + 1, `nested more than ${MAX_DEPTH} deep`);
    let left = term();
    for (skip(); text[pos] === "+" || text[pos] === "-"; skip()) {
      const op = text[pos++];
      const a = left;
      const b = term();
      left = node(op === "+" ? (v) => a(v) + b(v) : (v) => a(v) - b(v));
    }
    depth--;
    return left;
  }

  function term(): Node {
    let left = unary();
    for (skip(); text[pos] === "*" || text[pos] === "/"; skip()) {
      const op = text[pos++];
      const a = left;
      const b = unary();
      left = node(op === "*" ? (v) => a(v) * b(v) : (v) => a(v) / b(v));
    }
    return left;
  }

  function unary(): Node {
    skip();
    if (text[pos] === "-") {
      pos++;
      if (++depth > MAX_DEPTH) throw new ExpressionError(pos, `nested more than ${MAX_DEPTH} deep`);
      const a = unary();
      depth--;
      return node((v) => -a(v));
    }
    return primary();
  }

  function primary(): Node {
    skip();
    const start = pos;
    const c = text[pos] ?? "";
    if (isDigit(c) || (c === "." && isDigit(text[pos + 1] ?? ""))) return number(start);
    if (c === "(") {
      pos++;
      const inner = expr();
      skip();
      if (text[pos] !== ")") throw new ExpressionError(pos + 1, `expected ")" to close the "(" at ${start + 1}, got ${shown()}`);
      pos++;
      return inner;
    }
    if (isLower(c)) {
      while (pos < text.length && (isLower(text[pos]) || isDigit(text[pos]) || text[pos] === "_")) pos++;
      const name = text.slice(start, pos);
      if (name.length > 16) throw new ExpressionError(start + 1, `name "${name.slice(0, 20)}" is longer than 16 characters`);
      skip();
      if (text[pos] === "(") return call(name, start);
      if (!inputs.includes(name)) inputs.push(name);
      return node((v) => v(name));
    }
    throw new ExpressionError(pos + 1, `expected a number, a channel name, a function or "(", got ${shown()}`);
  }

  function call(name: string, start: number): Node {
    const fn = Object.prototype.hasOwnProperty.call(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
    if (!fn) throw new ExpressionError(start + 1, `unknown function "${name}"; functions: ${Object.keys(FUNCTIONS).join(", ")}`);
    pos++; // "("
    const args: Node[] = [expr()];
    for (skip(); text[pos] === ","; skip()) {
      pos++;
      args.push(expr());
    }
    if (text[pos] !== ")") throw new ExpressionError(pos + 1, `expected "," or ")" in ${name}(), got ${shown()}`);
    pos++;
    if (args.length < fn.min || args.length > fn.max)
      throw new ExpressionError(start + 1, `${name}() takes ${fn.min === fn.max ? fn.min : `${fn.min} to ${fn.max}`} argument(s), got ${args.length}`);
    return node((v) => fn.apply(args.map((a) => a(v))));
  }

  function number(start: number): Node {
    while (isDigit(text[pos] ?? "")) pos++;
    if (text[pos] === ".") {
      pos++;
      while (isDigit(text[pos] ?? "")) pos++;
    }
    if (text[pos] === "e" || text[pos] === "E") {
      pos++;
      if (text[pos] === "+" || text[pos] === "-") pos++;
      if (!isDigit(text[pos] ?? "")) throw new ExpressionError(pos + 1, `expected the exponent's digits, got ${shown()}`);
      while (isDigit(text[pos] ?? "")) pos++;
    }
    const value = Number(text.slice(start, pos));
    if (!Number.isFinite(value)) throw new ExpressionError(start + 1, `number ${text.slice(start, pos)} is out of range`);
    if (isLower(text[pos] ?? "")) throw new ExpressionError(pos + 1, `expected an operator after the number, got ${shown()}`);
    return node(() => value);
  }

  skip();
  if (pos >= text.length) throw new ExpressionError(1, "the expression is empty");
  const root = expr();
  skip();
  if (pos < text.length) throw new ExpressionError(pos + 1, `expected an operator or the end, got ${shown()}`);
  return Object.freeze({ inputs: Object.freeze(inputs.slice()), evaluate: (value: (name: string) => number) => root(value) });
}
