/**
 * Runs a TypeScript entry inside the XS engine (Moddable's engine, the one on
 * the ESP32) through an `@agoric/xsnap` worker, so tests prove that the
 * firmware in `modules/` runs there and not only on Node.js.
 *
 * The entry is bundled with esbuild (IIFE, platform "neutral", cbor-x's
 * portable files), the worker is stripped of the globals the board lacks,
 * and the bundle is evaluated. The guest talks back through the global
 * `xsHarness` (see `XsGuest`); the test drives it with `XsRun.command`.
 *
 * `@agoric/xsnap`'s Node.js side is written for Hardened JavaScript: it needs
 * `lockdown()` (from `@endo/init`) before it loads. Importing this file
 * therefore hardens the intrinsics of the test process; use it only from
 * test files dedicated to XS (each ava test file runs in its own process).
 */
import "@endo/init/debug.js";
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { existsSync } from "node:fs";
import * as fs from "node:fs";
import * as fsPromises from "node:fs/promises";
import { type } from "node:os";
import { basename, dirname, isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/**
 * Globals that `xsnap` adds to XS and that a Moddable build does not have,
 * removed before the bundle runs so firmware that relied on one fails here:
 * `TextEncoder`/`TextDecoder` (modules `text/encoder`, `text/decoder` on
 * Moddable), `Base64`, `console`, `print`, `performance`, `setImmediate`,
 * `gc`, the metering hooks and `issueCommand` (the harness keeps private
 * references to what it needs). Kept because Moddable's XS has them too:
 * `trace` (rerouted to the harness log), `harden`, `Compartment`,
 * `ModuleSource`, `global`. `handleCommand` and `xsHarness` are the
 * harness's own entry points and the only extra globals left.
 */
export const DEVICE_ABSENT_GLOBALS: readonly string[] = Object.freeze([
  "TextEncoder",
  "TextDecoder",
  "Base64",
  "console",
  "print",
  "performance",
  "setImmediate",
  "gc",
  "currentMeterLimit",
  "resetMeter",
  "issueCommand",
]);

/** What a guest entry finds in the global `xsHarness`. */
export interface XsGuest {
  /**
   * Answers `XsRun.command(name, args)`. The handler may return a promise;
   * it must settle before XS runs out of jobs (there are no real timers).
   * Values cross as JSON; `Uint8Array`s cross as bytes.
   */
  on(name: string, handler: (args: any) => unknown): void;
  /** Sends one line to `XsRun.logs` (what `trace` does, line by line). */
  log(line: string): void;
  /** Appends a value to `XsRun.reports`. */
  report(value: unknown): void;
  /** Resolves once every promise job queued so far has run (an XS macrotask turn). */
  settle(): Promise<void>;
}

/** Options of `runOnXS`. */
export interface XsRunOptions {
  /** Worker name in messages; defaults to the entry's file name. */
  name?: string;
  /** Bound on each step (bundle, evaluation, command, close) in ms; default 30,000. */
  timeoutMs?: number;
  /** Called with each guest log line as it arrives (e.g. `t.log`). */
  onLog?: (line: string) => void;
  /**
   * Module specifiers the bundle takes from other files (paths from the
   * repository root), e.g. Moddable's `timer` from a test double: how a
   * host's composition (hosts/esp32/main.ts) is booted here.
   */
  replace?: Readonly<Record<string, string>>;
}

/** Memory the guest holds, measured by XS after a full garbage collection. */
export interface XsFootprint {
  /** Live XS slots (16 bytes each on the 32-bit ESP32, 32 on a 64-bit host). */
  slots: number;
  /** Size of an XS snapshot of the whole machine (slots and chunks, builtins included). */
  snapshotBytes: number;
}

/** A running XS guest. */
export interface XsRun {
  readonly name: string;
  /** Lines from `trace`, `xsHarness.log` and the engine's own stdout/stderr. */
  readonly logs: readonly string[];
  /** Values the guest passed to `xsHarness.report`, in order. */
  readonly reports: readonly unknown[];
  /** Bytes of the evaluated bundle. */
  readonly bundleBytes: number;
  /**
   * Calls the guest handler registered as `name` and resolves with its
   * value. Rejects with `XsGuestError` (XS message and stack) when the
   * handler throws, and with a timeout or exit error otherwise.
   */
  command<T = unknown>(name: string, args?: unknown): Promise<T>;
  /**
   * XS's computation meter (`meterUsage.compute`: a count of engine steps,
   * the same on every machine) of the latest `command`, harness included;
   * undefined before the first command or when the engine did not report it.
   */
  readonly lastCompute: number | undefined;
  /** Collects garbage in the guest, then measures it. */
  footprint(): Promise<XsFootprint>;
  /**
   * Stops the worker (idempotent). Rejects when the engine reported an
   * unhandled exception or rejection on its own output during the run.
   */
  close(): Promise<void>;
}

/** An exception thrown inside XS, with the engine's message and stack. */
export class XsGuestError extends Error {
  /** The XS stack as the engine rendered it (may be empty). */
  readonly xsStack: string;

  constructor(context: string, fault: { message: string; stack: string }) {
    super(`${context}: ${fault.message}${fault.stack ? `\n--- XS stack ---\n${fault.stack}` : ""}`);
    this.name = "XsGuestError";
    this.xsStack = fault.stack;
  }
}

/**
 * Bundles `entryFile` (TypeScript; relative paths are taken from the
 * repository root), starts an XS worker without the device-absent globals,
 * evaluates the bundle and returns the running guest. Throws (after closing
 * the worker) on a bundling error, a guest exception (with the XS stack) or
 * a step longer than `timeoutMs`. The caller must `close()` the run.
 */
export async function runOnXS(entryFile: string, options: XsRunOptions = {}): Promise<XsRun> {
  const entry = isAbsolute(entryFile) ? entryFile : join(repoRoot(), entryFile);
  const name = options.name ?? basename(entry).replace(/\.ts$/, "");
  const timeoutMs = options.timeoutMs ?? 30_000;
  const bundle = await bounded(bundleForXS(entry, options.replace), timeoutMs, `bundling ${entry}`, () => {});
  const session = await startWorker(name, options.onLog, bundle);
  const run = makeRun(session, name, timeoutMs, bundle.length);
  try {
    const install = `(${installGuest})(${JSON.stringify({ removed: DEVICE_ABSENT_GLOBALS })}, ${encodeWire}, ${decodeWire})`;
    await session.step(session.worker.evaluate(install), timeoutMs, "installing the harness");
    await session.step(
      session.worker.evaluate(`xsHarness.$run(function () {\n${bundle}\n})`),
      timeoutMs,
      `evaluating ${name}`,
    );
  } catch (error) {
    await run.close().catch(() => {});
    throw error;
  }
  return run;
}

/** Bundles a TypeScript entry into one script XS can evaluate. */
async function bundleForXS(entry: string, replace: Readonly<Record<string, string>> = {}): Promise<string> {
  const root = repoRoot();
  const result = await build({
    entryPoints: [entry],
    plugins: [{
      name: "replace-modules",
      setup(builder) {
        builder.onResolve({ filter: /.*/ }, (args) => (Object.prototype.hasOwnProperty.call(replace, args.path) ? { path: join(root, replace[args.path]) } : undefined));
      },
    }],
    bundle: true,
    write: false,
    format: "iife",
    platform: "neutral",
    mainFields: ["module", "main"],
    conditions: ["import", "default"],
    target: "es2022",
    logLevel: "silent",
    charset: "ascii",
  });
  return result.outputFiles[0].text;
}

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("package.json not found above test/helpers");
    dir = parent;
  }
  return dir;
}

interface Worker {
  evaluate(code: string): Promise<{ reply: Uint8Array; meterUsage: { currentHeapCount: number | null } }>;
  issueCommand(message: Uint8Array): Promise<{ reply: Uint8Array; meterUsage: { currentHeapCount: number | null; compute?: number | null } }>;
  makeSnapshotStream(description?: string): AsyncIterable<Uint8Array>;
  close(): Promise<void>;
  terminate(): Promise<void>;
}

interface Session {
  worker: Worker;
  logs: string[];
  reports: unknown[];
  /** Faults the guest reported or the engine printed. */
  faults: { context: string; message: string; stack: string }[];
  /** Resolves when the engine's output streams have ended. */
  drained: Promise<void>;
  step<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T>;
  /** An `XsGuestError` whose stack frames in the bundle name the source file and code. */
  guestError(context: string, fault: { message: string; stack: string }): XsGuestError;
}

/** `@agoric/xsnap` ships no types; this is the part of its API used here. */
type XsnapModule = {
  xsnap(options: {
    os: string;
    spawn: (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;
    fs: object;
    name: string;
    stdout: "pipe";
    stderr: "pipe";
    handleCommand: (request: Uint8Array) => Promise<Uint8Array>;
  }): Promise<Worker>;
};
const XSNAP: string = "@agoric/xsnap";

async function startWorker(name: string, onLog: ((line: string) => void) | undefined, bundle: string): Promise<Session> {
  const { xsnap } = (await import(XSNAP)) as XsnapModule;
  const logs: string[] = [];
  const faults: Session["faults"] = [];
  const log = (line: string) => {
    logs.push(line);
    onLog?.(line);
  };
  const session = { logs, reports: [] as unknown[], faults } as Session;
  const streams: Promise<void>[] = [];
  const follow = (stream: NodeJS.ReadableStream | null, label: string) => {
    if (!stream) return;
    let pending = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      const lines = (pending + chunk).split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        log(`[xs ${label}] ${line}`);
        if (/unhandled (exception|rejection)|Unhandled exception/i.test(line))
          faults.push({ context: `${name} (engine ${label})`, message: line, stack: "" });
      }
    });
    streams.push(new Promise((done) => stream.on("close", () => done()).on("end", () => done())));
  };
  session.worker = await xsnap({
    os: type(),
    spawn: (command, args, spawnOptions) => {
      const child = spawn(command, args, spawnOptions);
      follow(child.stdout, "stdout");
      follow(child.stderr, "stderr");
      return child;
    },
    fs: { ...fs, ...fsPromises },
    name,
    stdout: "pipe",
    stderr: "pipe",
    handleCommand: async (request) => {
      const message = decodeWire(request) as GuestMessage;
      if (message.t === "log") log(message.line);
      else if (message.t === "report") session.reports.push(message.value);
      else faults.push({ context: `${name} (${message.context})`, message: message.message, stack: message.stack });
      return new Uint8Array(0);
    },
  });
  session.drained = Promise.all(streams).then(() => {});
  const bundleLines = bundle.split("\n");
  session.guestError = (context, fault) => new XsGuestError(context, { ...fault, stack: pointIntoBundle(fault.stack, bundleLines) });
  session.step = async (work, timeoutMs, what) => {
    const before = faults.length;
    try {
      return await bounded(work, timeoutMs, `${name}: ${what}`, () => void session.worker.terminate());
    } catch (error) {
      const fault = faults[before];
      if (fault) throw session.guestError(fault.context, fault);
      throw withLogs(error, logs);
    }
  };
  return session;
}

function makeRun(session: Session, name: string, timeoutMs: number, bundleBytes: number): XsRun {
  let closing: Promise<void> | undefined;
  let lastCompute: number | undefined;
  return {
    name,
    get lastCompute() {
      return lastCompute;
    },
    logs: session.logs,
    reports: session.reports,
    bundleBytes,
    async command<T>(command: string, args?: unknown): Promise<T> {
      const what = `command "${command}"`;
      const { reply, meterUsage } = await session.step(session.worker.issueCommand(encodeWire({ name: command, args })), timeoutMs, what);
      lastCompute = typeof meterUsage.compute === "number" ? meterUsage.compute : undefined;
      if (reply.byteLength === 0)
        throw new Error(`${name}: ${what} did not settle before XS ran out of jobs (it awaits something that never happens)`);
      const answer = decodeWire(reply) as CommandReply;
      if (!answer.ok) throw session.guestError(`${name}: ${what}`, answer.error);
      return answer.value as T;
    },
    async footprint(): Promise<XsFootprint> {
      const { meterUsage } = await session.step(session.worker.issueCommand(encodeWire({ name: "xs.gc" })), timeoutMs, "gc");
      let snapshotBytes = 0;
      const snapshot = (async () => {
        for await (const chunk of session.worker.makeSnapshotStream(name)) snapshotBytes += chunk.byteLength;
      })();
      await session.step(snapshot, timeoutMs, "snapshot");
      return { slots: meterUsage.currentHeapCount ?? Number.NaN, snapshotBytes };
    },
    close(): Promise<void> {
      closing ??= (async () => {
        await bounded(session.worker.close(), timeoutMs, `${name}: close`, () => void session.worker.terminate()).catch(
          () => session.worker.terminate(),
        );
        await bounded(session.drained, timeoutMs, `${name}: output`, () => {}).catch(() => {});
        const fault = session.faults[0];
        if (fault) throw session.guestError(fault.context, fault);
      })();
      return closing;
    },
  };
}

type GuestMessage =
  | { t: "log"; line: string }
  | { t: "report"; value: unknown }
  | { t: "fault"; context: string; message: string; stack: string };

type CommandReply = { ok: true; value: unknown } | { ok: false; error: { message: string; stack: string } };

/**
 * XS names the bundle's frames `(#1:<line>)` (the second evaluation, after
 * the harness; its first line is the `$run` wrapper). Appends to each such
 * frame the source file esbuild noted above that line and the code there.
 */
function pointIntoBundle(stack: string, bundleLines: readonly string[]): string {
  return stack.replace(/\(#1:(\d+)\)/g, (frame, line: string) => {
    const index = Number(line) - 2;
    const code = bundleLines[index];
    if (code === undefined) return frame;
    let file = "bundle";
    for (let i = index; i >= 0; i--) {
      const marker = /^\s*\/\/ (\S+\.[cm]?[jt]s)$/.exec(bundleLines[i]);
      if (marker) {
        file = marker[1];
        break;
      }
    }
    return `${frame} <- ${file}: ${code.trim().slice(0, 120)}`;
  });
}

async function bounded<T>(work: Promise<T>, ms: number, what: string, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new Error(`${what} timed out after ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function withLogs(error: unknown, logs: readonly string[]): Error {
  const base = error instanceof Error ? error : new Error(String(error));
  if (logs.length === 0) return base;
  return new Error(`${base.message}\n--- last guest log lines ---\n${logs.slice(-20).join("\n")}`, { cause: base });
}

/**
 * Wire format of the harness, both directions: JSON with every non-ASCII
 * character escaped (so a byte is a character, no TextEncoder needed) and
 * `Uint8Array`s as `{"$bytes": "<hex>"}`. Self-contained: its source is
 * also evaluated inside XS.
 */
function encodeWire(value: unknown): Uint8Array {
  const digits = "0123456789abcdef";
  const json =
    JSON.stringify(value, (_key, item: unknown) => {
      if (!(item instanceof Uint8Array)) return item;
      let hex = "";
      for (let i = 0; i < item.length; i++) hex += digits[item[i] >> 4] + digits[item[i] & 15];
      return { $bytes: hex };
    }) ?? "null";
  const ascii = json.replace(/[\u0080-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
  const bytes = new Uint8Array(ascii.length);
  for (let i = 0; i < ascii.length; i++) bytes[i] = ascii.charCodeAt(i);
  return bytes;
}

/** Inverse of `encodeWire`; self-contained like it. */
function decodeWire(bytes: Uint8Array): unknown {
  let text = "";
  // Spread in slices: XS (xsnap) overflows its stack on a call with a few thousand arguments.
  const WIRE_CHUNK = 256;
  for (let i = 0; i < bytes.length; i += WIRE_CHUNK)
    text += String.fromCharCode(...bytes.subarray(i, Math.min(bytes.length, i + WIRE_CHUNK)));
  return JSON.parse(text, (_key, item: unknown) => {
    if (item === null || typeof item !== "object" || !("$bytes" in item)) return item;
    const hex = String((item as { $bytes: unknown }).$bytes);
    const out = new Uint8Array(hex.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
    return out;
  });
}

/**
 * Guest half of the harness, evaluated in XS before the bundle (its source
 * is sent, so it must not reach anything outside its parameters).
 */
function installGuest(config: { removed: string[] }, encode: typeof encodeWire, decode: typeof decodeWire): void {
  const g = globalThis as any;
  const issue: (buffer: ArrayBuffer) => unknown = g.issueCommand;
  const collect: () => void = g.gc;
  const immediate: (callback: () => void) => void = g.setImmediate;
  for (const name of config.removed) delete g[name];
  const send = (message: unknown) => {
    issue(encode(message).buffer as ArrayBuffer);
  };
  const describe = (error: unknown) => ({
    message: error instanceof Error ? `${error.name}: ${error.message}` : `thrown: ${String(error)}`,
    stack: error instanceof Error && typeof error.stack === "string" ? error.stack : "",
  });
  const handlers = new Map<string, (args: any) => unknown>();
  handlers.set("xs.gc", () => collect());
  handlers.set("xs.globals", () => Object.getOwnPropertyNames(globalThis));
  let traced = "";
  const define = (name: string, value: unknown) =>
    Object.defineProperty(g, name, { value, writable: true, configurable: true, enumerable: false });
  const guest = {
    on(name: string, handler: (args: any) => unknown) {
      handlers.set(name, handler);
    },
    log(line: string) {
      send({ t: "log", line: String(line) });
    },
    report(value: unknown) {
      send({ t: "report", value });
    },
    settle() {
      return new Promise<void>((resolve) => immediate(() => resolve()));
    },
    $run(body: () => void) {
      try {
        body();
      } catch (error) {
        send({ t: "fault", context: "evaluating the bundle", ...describe(error) });
        throw error;
      }
    },
  };
  define("xsHarness", Object.freeze(guest));
  define("trace", (...parts: unknown[]) => {
    const lines = (traced + parts.map(String).join("")).split("\n");
    traced = lines.pop() ?? "";
    for (const line of lines) guest.log(line);
  });
  define("handleCommand", (buffer: ArrayBuffer) => {
    const box: { result?: ArrayBuffer } = {};
    const reply = (value: unknown) => {
      box.result = encode(value).buffer as ArrayBuffer;
    };
    Promise.resolve()
      .then(() => {
        const { name, args } = decode(new Uint8Array(buffer)) as { name: string; args: unknown };
        const handler = handlers.get(name);
        if (!handler) throw new Error(`no guest handler for command "${name}"`);
        return handler(args);
      })
      .then(
        (value) => reply({ ok: true, value: value ?? null }),
        (error) => reply({ ok: false, error: describe(error) }),
      );
    return box;
  });
}
