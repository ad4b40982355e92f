import { spawn, execFile, type ChildProcess } from "node:child_process";
import { accessSync, constants as fsConstants } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { once } from "node:events";
import * as net from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import test, { type ExecutionContext } from "ava";

/** A Mosquitto broker spawned for one test. */
export interface Mosquitto {
  /** `mqtt://127.0.0.1:<port>` (or mqtts:// with a TLS listener). */
  url: string;
  host: string;
  port: number;
  /** Pid of the current process (changes on restart). */
  readonly pid: number;
  /** SIGTERM, waits for exit (SIGKILL after 5 s), removes the temp dir. */
  stop(): Promise<void>;
  kill(signal: NodeJS.Signals): void;
  /** Stops and starts again on the same port with the same config. */
  restart(): Promise<void>;
  /** SIGSTOP: the broker freezes, sockets stay open. */
  pause(): void;
  /** SIGCONT. */
  resume(): void;
}

/** What the generated mosquitto.conf contains besides the listener. */
export interface MosquittoOptions {
  tls?: { certFile: string; keyFile: string; caFile: string };
  passwordFile?: string;
  /** Default: true without a password file, false with one. */
  allowAnonymous?: boolean;
  /** Appended verbatim to the generated mosquitto.conf. */
  extraConfig?: string;
}

const SKIP_REASON = "SKIPPED: mosquitto not installed; install mosquitto to run broker tests";

function findBinary(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? "").split(delimiter), "/usr/sbin", "/usr/local/sbin", "/opt/homebrew/sbin"];
  for (const dir of dirs.filter((d) => d !== "")) {
    try { accessSync(join(dir, name), fsConstants.X_OK); return join(dir, name); } catch { /* not in this dir */ }
  }
  return undefined;
}

/** Path of the mosquitto binary, or undefined when it is not installed. */
export const mosquittoBinary = findBinary("mosquitto");
let warned = false;

function warnMissing(): void {
  if (warned) return;
  warned = true;
  process.stderr.write(`\n!!!!!!!! ${SKIP_REASON} !!!!!!!!\n\n`);
}

/** A free TCP port on 127.0.0.1 (the OS picks it; a tiny race is possible). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`mosquitto exited early:\n${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: "127.0.0.1", port }, () => { socket.destroy(); resolve(true); });
      socket.on("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`mosquitto did not listen on ${port} within 15 s:\n${log()}`);
}

/**
 * Spawns Mosquitto with a generated config (listener on 127.0.0.1 at a free
 * port, no persistence) in a fresh temp dir and waits until the port accepts
 * connections. Returns undefined, after a loud warning on stderr, when the
 * binary is not installed. Rejects when Mosquitto does not come up in 15 s.
 */
export async function startMosquitto(options: MosquittoOptions = {}): Promise<Mosquitto | undefined> {
  if (mosquittoBinary === undefined) { warnMissing(); return undefined; }
  const binary = mosquittoBinary;
  const dir = await mkdtemp(join(tmpdir(), "fieldnode-mosquitto-"));
  const port = await freePort();
  const lines = [
    `listener ${port} 127.0.0.1`,
    "user root", // keeps root from dropping to user mosquitto, who cannot read our 0700 temp dir; ignored for non-root
    "persistence false",
    "log_dest stderr",
    "log_type error warning notice",
    `allow_anonymous ${options.allowAnonymous ?? options.passwordFile === undefined}`,
  ];
  if (options.passwordFile !== undefined) lines.push(`password_file ${options.passwordFile}`);
  if (options.tls) lines.push(`cafile ${options.tls.caFile}`, `certfile ${options.tls.certFile}`, `keyfile ${options.tls.keyFile}`);
  if (options.extraConfig !== undefined) lines.push(options.extraConfig);
  const confFile = join(dir, "mosquitto.conf");
  await writeFile(confFile, lines.join("\n") + "\n");

  let child!: ChildProcess;
  let log = "";
  const launch = async (): Promise<void> => {
    log = "";
    child = spawn(binary, ["-c", confFile], { stdio: ["ignore", "ignore", "pipe"] });
    child.stderr?.on("data", (chunk: Buffer) => { log = (log + chunk.toString()).slice(-8000); });
    child.on("error", () => undefined);
    await waitForPort(port, child, () => log);
  };
  const halt = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    child.kill("SIGCONT");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };
  await launch().catch(async (error) => { await halt(); await rm(dir, { recursive: true, force: true }); throw error; });
  return {
    url: `${options.tls ? "mqtts" : "mqtt"}://127.0.0.1:${port}`,
    host: "127.0.0.1",
    port,
    get pid() { return child.pid ?? -1; },
    async stop() { await halt(); await rm(dir, { recursive: true, force: true }); },
    kill(signal) { child.kill(signal); },
    async restart() { await halt(); await launch(); },
    pause() { child.kill("SIGSTOP"); },
    resume() { child.kill("SIGCONT"); },
  };
}

/** Creates (or overwrites) a Mosquitto password file `dir/passwords` with one user; returns its path. */
export async function makePasswordFile(dir: string, user: string, password: string): Promise<string> {
  const file = join(dir, "passwords");
  const tool = findBinary("mosquitto_passwd");
  if (tool === undefined) throw new Error("mosquitto_passwd not installed");
  await promisify(execFile)(tool, ["-b", "-c", file, user, password]);
  return file;
}

/**
 * Registers an ava test that needs Mosquitto. When the binary is absent, the
 * test is registered as skipped with the reason in its title and a warning
 * goes to stderr, so a missing broker is visible and never a silent pass.
 */
export function brokerTest(title: string, fn: (t: ExecutionContext) => Promise<void>): void {
  if (mosquittoBinary === undefined) {
    warnMissing();
    test.skip(`${title} (${SKIP_REASON})`, () => undefined);
  } else {
    test(title, fn);
  }
}
