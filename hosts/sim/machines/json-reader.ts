import { SimInputError } from "./input-error.js";

/**
 * Reads one value of a parsed JSON document and checks its shape; every
 * error is a SimInputError `<label>: <path>: <message>` that names the field
 * (`channels[3].signal.kind`) and quotes the bad value.
 */
export class JsonReader {
  readonly label: string;
  readonly path: string;
  readonly value: unknown;

  constructor(label: string, path: string, value: unknown) {
    this.label = label;
    this.path = path;
    this.value = value;
  }

  /** Throws the SimInputError for this field. */
  fail(message: string): never {
    throw new SimInputError(`${this.label}: ${this.path || "(top level)"}: ${message}`);
  }

  /** The reader of `key` of this object (after `object()` checked it is one). */
  at(key: string): JsonReader {
    const value = (this.value as Record<string, unknown>)[key];
    return new JsonReader(this.label, this.path ? `${this.path}.${key}` : key, value);
  }

  get present(): boolean {
    return this.value !== undefined;
  }

  /** Checks this is an object with only `allowed` keys and `required` present. */
  object(allowed: readonly string[], required: readonly string[] = []): this {
    if (typeof this.value !== "object" || this.value === null || Array.isArray(this.value)) this.fail(`expected an object, got ${show(this.value)}`);
    for (const key of Object.keys(this.value as object))
      if (!allowed.includes(key)) this.at(key).fail(`unknown field (allowed: ${allowed.join(", ")})`);
    for (const key of required) if (!this.at(key).present) this.at(key).fail("is required");
    return this;
  }

  /** The items of an array (at most `max`), each as a reader; [] when absent and optional. */
  array(max: number, optional = true): JsonReader[] {
    if (this.value === undefined && optional) return [];
    if (!Array.isArray(this.value)) this.fail(`expected an array, got ${show(this.value)}`);
    const items = this.value as unknown[];
    if (items.length > max) this.fail(`at most ${max} entries, got ${items.length}`);
    return items.map((item, i) => new JsonReader(this.label, `${this.path}[${i}]`, item));
  }

  /** A finite number in [min, max]; `fallback` when absent (required when no fallback). */
  number(options: { min?: number; max?: number; integer?: boolean; fallback?: number; positive?: boolean } = {}): number {
    if (this.value === undefined) {
      if (options.fallback !== undefined) return options.fallback;
      this.fail("is required");
    }
    if (typeof this.value !== "number" || !Number.isFinite(this.value)) this.fail(`expected a number, got ${show(this.value)}`);
    const n = this.value as number;
    if (options.integer && !Number.isInteger(n)) this.fail(`expected a whole number, got ${n}`);
    if (options.positive && !(n > 0)) this.fail(`must be greater than 0, got ${n}`);
    if (options.min !== undefined && n < options.min) this.fail(`must be ${options.min}..${options.max ?? "∞"}, got ${n}`);
    if (options.max !== undefined && n > options.max) this.fail(`must be ${options.min ?? "-∞"}..${options.max}, got ${n}`);
    return n;
  }

  /** A whole number given as a number or as "0x.." text (I2C addresses, as datasheets write them). */
  integerOrHex(min: number, max: number): number {
    if (typeof this.value === "string" && /^0x[0-9a-fA-F]{1,4}$/.test(this.value)) {
      const n = Number.parseInt(this.value.slice(2), 16);
      if (n < min || n > max) this.fail(`must be 0x${min.toString(16)}..0x${max.toString(16)}, got ${this.value}`);
      return n;
    }
    return this.number({ min, max, integer: true });
  }

  /** A string (1..maxLength characters, matching `pattern` when given); `fallback` when absent. */
  string(options: { maxLength?: number; pattern?: RegExp; patternHelp?: string; fallback?: string } = {}): string {
    if (this.value === undefined) {
      if (options.fallback !== undefined) return options.fallback;
      this.fail("is required");
    }
    if (typeof this.value !== "string") this.fail(`expected a string, got ${show(this.value)}`);
    const s = this.value as string;
    if (s.length > (options.maxLength ?? 200)) this.fail(`longer than ${options.maxLength ?? 200} characters`);
    if (options.pattern && !options.pattern.test(s)) this.fail(`${show(s)} is not ${options.patternHelp ?? `like ${options.pattern.source}`}`);
    return s;
  }

  /** One of `values`; `fallback` when absent. */
  oneOf<T extends string>(values: readonly T[], fallback?: T): T {
    if (this.value === undefined && fallback !== undefined) return fallback;
    if (typeof this.value !== "string" || !values.includes(this.value as T)) this.fail(`unknown ${show(this.value)} (one of: ${values.join(", ")})`);
    return this.value as T;
  }

  boolean(fallback: boolean): boolean {
    if (this.value === undefined) return fallback;
    if (typeof this.value !== "boolean") this.fail(`expected true or false, got ${show(this.value)}`);
    return this.value as boolean;
  }
}

/** A short, escaped rendering of a JSON value for messages. */
export function show(value: unknown): string {
  if (value === undefined) return "nothing";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/**
 * Parses JSON text; a syntax error becomes a SimInputError naming the line
 * and column (`<label>: line 4, column 12: not JSON: ...`).
 */
export function parseJsonText(text: string, label: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const offset = jsonErrorOffset(text);
    const before = text.slice(0, offset).split("\n");
    const found = offset < text.length ? JSON.stringify(text[offset]) : "the end of the file";
    throw new SimInputError(`${label}: line ${before.length}, column ${before[before.length - 1].length + 1}: not JSON: unexpected ${found} (${(error as Error).message.split("\n")[0].slice(0, 80)})`);
  }
}

/** Offset of the first JSON syntax error in `text` (a small recursive-descent scanner, used only after JSON.parse failed). */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const space = () => {
    while (i < text.length && " \t\r\n".includes(text[i])) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const string = () => {
    if (text[i] !== '"') fail();
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      if (text[i] === "\\") {
        i++;
        if (text[i] === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? "x")) fail();
      }
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const value = (depth: number): void => {
    if (depth > 200) fail();
    space();
    const c = text[i];
    if (c === "{") {
      i++;
      space();
      if (text[i] === "}") return void i++;
      for (;;) {
        space();
        string();
        space();
        if (text[i] !== ":") fail();
        i++;
        value(depth + 1);
        space();
        if (text[i] === ",") i++;
        else if (text[i] === "}") return void i++;
        else fail();
      }
    }
    if (c === "[") {
      i++;
      space();
      if (text[i] === "]") return void i++;
      for (;;) {
        value(depth + 1);
        space();
        if (text[i] === ",") i++;
        else if (text[i] === "]") return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    if (c === "t") return literal("true");
    if (c === "f") return literal("false");
    if (c === "n") return literal("null");
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail();
    i += m![0].length;
  };
  try {
    value(0);
    space();
    return i;
  } catch (at) {
    return typeof at === "number" ? at : i;
  }
}
