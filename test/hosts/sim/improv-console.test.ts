import test from "ava";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { improvRpc, improvWifi, parseDeviceStream, type DevicePacket } from "../../helpers/improv-client.js";
import { SIM_MAIN } from "../../helpers/sim-process.js";
import { openTerminal } from "../../helpers/terminal.js";

/** Improv serial, spoken as the published specification defines it, to the simulator's stdin console and pty console. */

const NO_BROKER = "mqtt://127.0.0.1:1";
const hasPython = spawnSync("python3", ["-c", "import pty"]).status === 0;

/** A byte stream the device writes to, and a way to wait until `count` packets have arrived since `from`. */
function byteStream(gone?: () => string | undefined) {
  let bytes = Buffer.alloc(0);
  return {
    push(chunk: Buffer) {
      bytes = Buffer.concat([bytes, chunk]);
    },
    get length() {
      return bytes.length;
    },
    parse(from = 0) {
      return parseDeviceStream(new Uint8Array(bytes.subarray(from)));
    },
    async until(test: (packets: DevicePacket[], text: string) => boolean, from: number, what: string) {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const { packets, text } = parseDeviceStream(new Uint8Array(bytes.subarray(from)));
        if (test(packets, text)) return { packets, text };
        const ended = gone?.();
        if (ended !== undefined || Date.now() > deadline) throw new Error(`${ended ?? "timed out"} waiting for ${what}; got ${JSON.stringify(packets)} and text:\n${text.slice(-1500)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
  };
}

function startSim(args: string[]) {
  const child = spawn(process.execPath, [SIM_MAIN, "--broker", NO_BROKER, ...args], { stdio: ["pipe", "pipe", "pipe"] });
  // A simulator that died says so at once, with its stderr, instead of a silent timeout.
  const out = byteStream(() => (child.exitCode ?? child.signalCode) === null ? undefined : `the simulator exited (${child.exitCode ?? child.signalCode}; stderr: ${stderr.slice(-1500)})`);
  child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
  child.stderr.setEncoding("utf8");
  let stderr = "";
  child.stderr.on("data", (text: string) => (stderr += text));
  child.stdin.on("error", () => {});
  const exited = new Promise<number | string>((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, out, exited, stderr: () => stderr };
}

const types = (packets: DevicePacket[]) => packets.map((p) => p.type);

/** The exchange both consoles must pass: info, state, a refused packet, credentials, state again, a text command. */
async function provision(t: import("ava").ExecutionContext, write: (bytes: Uint8Array | string) => void, out: ReturnType<typeof byteStream>, nodeId: string) {
  let from = out.length;
  write(improvRpc(0x03));
  write("\n");
  let got = await out.until((p) => p.some((x) => x.type === 0x04), from, "device info");
  const info = got.packets.find((p) => p.type === 0x04)!;
  t.deepEqual(info.strings?.slice(0, 1), ["fieldnode"]);
  t.is(info.strings?.[2], "sim");
  t.is(info.strings?.[3], nodeId);

  from = out.length;
  write(improvRpc(0x02));
  got = await out.until((p) => p.some((x) => x.type === 0x01), from, "current state");
  t.deepEqual(got.packets.find((p) => p.type === 0x01)!.data, [0x02], "ready before provisioning");

  from = out.length;
  const broken = improvWifi("Plant", "hunter2-long");
  broken[broken.length - 1] ^= 0x55;
  write(broken);
  got = await out.until((p) => p.some((x) => x.type === 0x02 && x.data[0] === 0x01), from, "invalid RPC error state");
  t.false(types(got.packets).includes(0x01), "a bad checksum changes no state");

  from = out.length;
  write(improvWifi("Plant Wi-Fi", "hunter2-long"));
  got = await out.until((p) => p.some((x) => x.type === 0x04), from, "provisioning result");
  t.deepEqual(got.packets.map((p) => [p.type, ...(p.type === 0x04 ? [] : p.data)]), [[0x02, 0x00], [0x01, 0x03], [0x01, 0x04], [0x04]]);
  t.false(got.text.includes("hunter2-long"), "the password is never echoed");

  from = out.length;
  write("get wifi.ssid\r");
  got = await out.until((_p, text) => /\nOK\r\n/.test(`\n${text}`), from, "get wifi.ssid");
  t.regex(got.text, /wifi\.ssid = "Plant Wi-Fi"/);
  t.notRegex(got.text, /\[unsaved\]/, "saved, not staged");
}

test("Improv over the simulator's stdin console: device info, state, a bad checksum refused, credentials saved and kept across a restart", async (t) => {
  const state = mkdtempSync(join(tmpdir(), "fieldnode-"));
  const sim = startSim(["--id", "improv-1", "--state", state]);
  t.teardown(() => void sim.child.kill("SIGKILL"));
  await sim.out.until((_p, text) => /\(#1\)/.test(text), 0, "boot");
  await provision(t, (bytes) => sim.child.stdin.write(bytes), sim.out, "improv-1");
  sim.child.kill("SIGINT");
  t.is(await sim.exited, 0);

  const again = startSim(["--id", "improv-1", "--state", state]);
  t.teardown(() => void again.child.kill("SIGKILL"));
  await again.out.until((_p, text) => /\(#2\)/.test(text), 0, "second boot");
  const from = again.out.length;
  again.child.stdin.write(improvRpc(0x02));
  const got = await again.out.until((p) => p.some((x) => x.type === 0x04), from, "provisioned state and result");
  t.deepEqual(types(got.packets), [0x02, 0x01, 0x04]);
  t.deepEqual(got.packets[1].data, [0x04], "provisioned after the restart");
  again.child.kill("SIGINT");
  t.is(await again.exited, 0);
});

const ptyTest = hasPython ? test.serial : (title: string) => test.skip(`${title} (SKIPPED: python3 with its pty module not installed)`, () => undefined);

ptyTest("Improv over the pty console: the same exchange through a terminal device, bytes untouched", async (t) => {
  const sim = startSim(["--console", "pty", "--id", "improv-2", "--state", mkdtempSync(join(tmpdir(), "fieldnode-"))]);
  t.teardown(() => void sim.child.kill("SIGKILL"));
  const deadline = Date.now() + 60_000;
  let path: string | undefined;
  while (!path) {
    path = /console on (\/dev\/\S+): attach with/.exec(sim.out.parse().text + sim.stderr())?.[1];
    if (Date.now() > deadline) throw new Error(`no pty path; stderr: ${sim.stderr()}`);
    if (!path) await new Promise((r) => setTimeout(r, 25));
  }
  const screen = byteStream();
  const terminal = openTerminal(path, (chunk) => screen.push(chunk));
  try {
    await provision(t, (bytes) => terminal.write(bytes), screen, "improv-2");
  } finally {
    await terminal.close();
    sim.child.kill("SIGINT");
    t.is(await sim.exited, 0);
  }
});
