import test from "ava";
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { brokerTest, startMosquitto } from "../../helpers/mosquitto.js";
import { startSim } from "../../helpers/sim-process.js";
import { decodeTelemetry } from "../../../tools/monitor/senml-decode.js";
import { startMonitor } from "../../helpers/monitor-process.js";

test("command-line mistakes exit with code 2 and say what is wrong", async (t) => {
  for (const [args, message] of [
    [["--bogus"], /Unknown option '--bogus'/],
    [["--broker", "http://x:1"], /scheme must be mqtt:\/\/ or mqtts:\/\//],
    [["--node", "Bad Id"], /--node "Bad Id" is not a node id/],
    [["--prefix", "a/#"], /--prefix "a\/#" is not a topic prefix/],
    [["--broker", "mqtts://localhost:1", "--ca", "/nonexistent/ca.pem"], /--ca "\/nonexistent\/ca.pem": cannot read it \(ENOENT\)/],
    [["--ca", "x.pem"], /--ca needs an mqtts:\/\/ --broker/],
    [["--password", "p"], /a password needs --username/],
  ] as const) {
    const monitor = startMonitor([...args]);
    t.is(await monitor.exited, 2, args.join(" "));
    t.regex(monitor.stderr, message);
    t.regex(monitor.stderr, /usage: fieldnode-monitor/);
  }
  const help = startMonitor(["--help"]);
  t.is(await help.exited, 0);
  t.regex(help.lines.join("\n"), /--broker <url>/);
});

interface TeleLine { kind: "tele"; node: string; pack: { seq: number; boot: string; readings: { local: string; unit: string }[] }; findings: { type: string; seq?: number }[] }

brokerTest("the monitor reports a node's telemetry with consecutive seqs, a re-published pack as DUP, a restart as NEW-BOOT", async (t) => {
  const broker = await startMosquitto();
  if (!broker) return;
  const dir = mkdtempSync(join(tmpdir(), "fieldnode-monitor-"));
  const monitor = startMonitor(["--broker", broker.url, "--json"]);
  // An independent capture of the raw bytes of one pack, to re-publish later.
  const capture = spawn("mosquitto_sub", ["-h", "127.0.0.1", "-p", String(broker.port), "-t", "fieldnode/mon-1/tele", "-C", "1", "-F", "%x"]);
  let captured = "";
  capture.stdout.setEncoding("utf8").on("data", (chunk: string) => (captured += chunk));
  await monitor.until(() => /connected to/.test(monitor.stderr), "the monitor to connect");
  // Two readings per pack: a pack a second, so the test needs no long waits.
  const simArgs = ["--broker", broker.url, "--id", "mon-1", "--state", join(dir, "state"), "--override", "telemetry.batch_size=2"];
  let sim = startSim(simArgs);
  try {
    const tele = () => monitor.lines.map((line) => JSON.parse(line) as { kind: string; node?: string }).filter((m): m is TeleLine => m.kind === "tele" && m.node === "mon-1");
    await monitor.until(() => tele().length >= 3, "three telemetry packs");
    const packs = tele();
    const seqs = packs.map((p) => p.pack.seq);
    t.deepEqual(seqs, seqs.map((_, i) => seqs[0] + i), `consecutive seqs: ${seqs.join(",")}`);
    t.true(packs.every((p) => p.findings.length === 0), "no gaps, duplicates or replays");
    t.true(packs.every((p) => p.pack.boot === packs[0].pack.boot));
    t.true(packs[0].pack.readings.some((r) => r.local === "temp" && r.unit === "Cel"));
    t.true(monitor.lines.some((line) => /"kind":"state".*"state":"online"/.test(line)), "state online seen");

    await monitor.until(() => captured.trim() !== "", "mosquitto_sub to capture a pack");
    const file = join(dir, "pack.cbor");
    writeFileSync(file, Buffer.from(captured.trim(), "hex"));
    const from = monitor.lines.length;
    await promisify(execFile)("mosquitto_pub", ["-h", "127.0.0.1", "-p", String(broker.port), "-t", "fieldnode/mon-1/tele", "-q", "1", "-f", file]);
    await monitor.until(() => tele().some((p) => p.findings.some((f) => f.type === "DUP")), "the DUP");
    const dup = monitor.lines.slice(from).map((line) => JSON.parse(line)).find((m) => m.kind === "tele" && m.findings.some((f: { type: string }) => f.type === "DUP"));
    t.like(decodeTelemetry(Buffer.from(captured.trim(), "hex")), { seq: dup.findings[0].seq, boot: dup.pack.boot }, "the DUP is the re-published pack");

    // A restart with the same flash: a new boot id, seqs from 1 again.
    sim.child.kill("SIGINT");
    t.is(await sim.exited, 0);
    sim = startSim(simArgs);
    await monitor.until(() => tele().some((p) => p.findings.some((f) => f.type === "NEW-BOOT")), "NEW-BOOT");
    const reboot = tele().find((p) => p.findings.some((f) => f.type === "NEW-BOOT"))!;
    t.is(reboot.pack.seq, 1);
    t.not(reboot.pack.boot, packs[0].pack.boot);

    monitor.child.kill("SIGINT");
    t.is(await monitor.exited, 0);
    const summary = JSON.parse(monitor.lines.at(-1)!);
    t.like(summary, { kind: "summary", gaps: 0, dups: 1, newBoots: 1, warnings: 0 });
    t.true(summary.packs >= 5);
  } finally {
    sim.child.kill("SIGKILL");
    monitor.child.kill("SIGKILL");
    capture.kill();
    await broker.stop();
  }
});
