import test from "ava";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Decoder } from "cbor-x";
import { brokerTest, startMosquitto } from "../../../helpers/mosquitto.js";
import { startSubscriber } from "../../../helpers/mqtt-subscriber.js";
import { SIM_MAIN, startSim } from "../../../helpers/sim-process.js";

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("utf8");
const decode = (bytes: Uint8Array) => new Decoder({ mapsAsObjects: false, useRecords: false }).decode(bytes) as Map<number, unknown>[];
const N = 20;
const ids = Array.from({ length: N }, (_, i) => `fl-${String(i + 1).padStart(4, "0")}`);

brokerTest("a fleet of 20 nodes against Mosquitto: every node comes online and publishes under its own id, a summary line, Ctrl-C stops all cleanly", async (t) => {
  t.timeout(180_000);
  const broker = await startMosquitto();
  if (!broker) return;
  const sub = startSubscriber(broker.port, ["fieldnode/+/state", "fieldnode/+/tele"], `fleet-sub-${process.pid}`);
  const state = mkdtempSync(join(tmpdir(), "fieldnode-fleet-"));
  const sim = startSim(["--nodes", String(N), "--id", "fl", "--broker", broker.url, "--state", state]);
  try {
    await sub.waitConnected(15_000);
    await sub.waitFor((all) => ids.every((id) => all.some((m) => m.topic === `fieldnode/${id}/tele`)), 120_000, "a pack from every node");
    for (const id of ids) {
      const online = sub.messages.filter((m) => m.topic === `fieldnode/${id}/state`).map((m) => text(m.payload));
      t.true(online.includes("online"), `${id} online`);
      const pack = decode(sub.messages.find((m) => m.topic === `fieldnode/${id}/tele`)!.payload);
      t.is(pack[0].get(-2), `${id}:`, "the pack's base name is the node's own id");
    }
    t.deepEqual(readdirSync(state).sort(), ids, "one flash directory per node under --state");
    await sim.waitFor(/^fleet: 20\/20 connected, [0-9.]+ samples\/s, [0-9.]+ packs\/s published, [0-9.]+ acked, lag p99 [0-9.]+ ms max [0-9.]+ ms$/m, 60_000);
    sim.child.kill("SIGINT");
    t.is(await sim.exited, 0, "Ctrl-C exits 0");
    t.regex(sim.output, /SIGINT: stopping 20 nodes[\s\S]*fleet: stopped 20 nodes/);
    await sub.waitFor((all) => ids.every((id) => all.some((m) => m.topic === `fieldnode/${id}/state` && text(m.payload) === "offline")), 15_000, "offline from every node");
    t.pass();
  } finally {
    sim.child.kill("SIGKILL");
    sub.close();
    await broker.stop();
  }
});

test("--nodes 0: a clear message and exit 2 before anything starts", async (t) => {
  const sim = startSim(["--nodes", "0"]);
  t.is(await sim.exited, 2);
  t.regex(sim.stderr, /--nodes must be a whole number 1\.\.100000, got "0"/);
  t.notRegex(sim.output, /broker|fleet:/);
});

// Node raises its soft open-file limit to the hard one at start: a shell's "ulimit -n" (both) is what binds.
const overLimit: [title: string, flags: string, expected: RegExp][] = [
  ["the embedded broker's sockets counted", "", /--nodes 500 needs 1064 open files \(two sockets per node with the embedded broker and 64 for the process\); this process may open 256 \(the hard limit is 256; as root "ulimit -n \d+" raises it\), or split the fleet over several processes with --first/],
  ["against --broker", "--broker mqtt://127.0.0.1:1", /--nodes 500 needs 564 open files \(one socket per node and 64 for the process\); this process may open 256 \(the hard limit is 256; as root "ulimit -n \d+" raises it\), or split the fleet over several processes with --first/],
];
for (const [title, flags, expected] of overLimit) {
  test(`--nodes beyond the open-file limit (${title}): a clear message and exit 2 before anything starts`, async (t) => {
    if (process.platform !== "linux") return t.pass("the limit is read from /proc/self/limits");
    const state = mkdtempSync(join(tmpdir(), "fieldnode-fleet-"));
    const child = spawn("sh", ["-c", `ulimit -n 256 && exec "${process.execPath}" "${SIM_MAIN}" --nodes 500 ${flags} --state "${state}/s"`]);
    let stderr = "";
    let stdout = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    t.is(code, 2, stderr);
    t.regex(stderr, expected);
    t.is(stdout, "");
    t.deepEqual(readdirSync(state), [], "nothing written");
  });
}

test("--nodes with --console pty: refused, exit 2", async (t) => {
  const sim = startSim(["--nodes", "2", "--console", "pty", "--state", mkdtempSync(join(tmpdir(), "fieldnode-fleet-"))]);
  t.is(await sim.exited, 2);
  t.regex(sim.stderr, /a fleet \(--nodes\) runs without a console/);
});

brokerTest("a fleet split over two processes with --first: ids never collide, each process numbers its own range", async (t) => {
  t.timeout(180_000);
  const broker = await startMosquitto();
  if (!broker) return;
  const split = ["sp-0001", "sp-0002", "sp-0003", "sp-0004", "sp-0005"];
  const sub = startSubscriber(broker.port, ["fieldnode/+/tele"], `fleet-split-${process.pid}`);
  const state = mkdtempSync(join(tmpdir(), "fieldnode-fleet-"));
  const a = startSim(["--nodes", "3", "--id", "sp", "--broker", broker.url, "--state", join(state, "a")]);
  const b = startSim(["--nodes", "2", "--first", "4", "--id", "sp", "--broker", broker.url, "--state", join(state, "b")]);
  try {
    await sub.waitConnected(15_000);
    await a.waitFor(/^fleet: 3 nodes sp-0001\.\.sp-0003 against/m, 30_000);
    await b.waitFor(/^fleet: 2 nodes sp-0004\.\.sp-0005 against/m, 30_000);
    await sub.waitFor((all) => split.every((id) => all.some((m) => m.topic === `fieldnode/${id}/tele`)), 120_000, "a pack from every node of both processes");
    t.deepEqual(readdirSync(join(state, "a")).sort(), split.slice(0, 3));
    t.deepEqual(readdirSync(join(state, "b")).sort(), split.slice(3));
    const names = new Set(sub.messages.map((m) => m.topic.split("/")[1]));
    t.deepEqual([...names].sort(), split, "no other id on the broker");
    a.child.kill("SIGINT");
    b.child.kill("SIGINT");
    t.is(await a.exited, 0);
    t.is(await b.exited, 0);
  } finally {
    a.child.kill("SIGKILL");
    b.child.kill("SIGKILL");
    sub.close();
    await broker.stop();
  }
});
