import test from "ava";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Decoder } from "cbor-x";
import { brokerTest, startMosquitto } from "../../helpers/mosquitto.js";
import { startSim } from "../../helpers/sim-process.js";
import { mosquittoSub } from "../../helpers/mosquitto-sub.js";
import { resolvedRecords } from "../../helpers/senml-records.js";

const subscribe = mosquittoSub;

/** Keeps integer-labelled maps as Maps, as a SenML-CBOR receiver sees them. */
const decode = (bytes: Uint8Array) => new Decoder({ mapsAsObjects: false, useRecords: false }).decode(bytes);
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("utf8");

brokerTest("the simulator publishes SenML-CBOR telemetry, online and offline state to Mosquitto", async (t) => {
  const broker = await startMosquitto();
  if (!broker) return;
  const sub = subscribe(broker.port, "fieldnode/#");
  const sim = startSim(["--broker", broker.url, "--id", "itest-1", "--state", mkdtempSync(join(tmpdir(), "fieldnode-"))]);
  try {
    await sub.until((all) => all.filter((m) => m.topic === "fieldnode/itest-1/tele").length >= 2);
    const state = sub.messages.filter((m) => m.topic === "fieldnode/itest-1/state");
    t.is(text(state[0].payload), "online");

    const payloads = sub.messages.filter((m) => m.topic === "fieldnode/itest-1/tele").map((m) => m.payload);
    for (const [index, payload] of payloads.entries()) {
      const pack = decode(payload) as Map<number, unknown>[];
      t.true(Array.isArray(pack));
      const head = pack[0];
      t.true(head instanceof Map, "records are CBOR maps with integer labels");
      t.is(head.get(-2), "itest-1:", "base name identifies the node");
      t.true((head.get(-3) as number) > 1.7e9, "base time is wall-clock seconds");
      t.is(head.get(0), "_seq");
      t.is(head.get(2), index + 1, "sequence numbers count up from 1");
      t.is(pack[1].get(0), "_boot");
      t.regex(pack[1].get(3) as string, /^[0-9a-f]{8}$/);
      // Resolved as RFC 8428 says: a channel's records share its base name and unit.
      const readings = resolvedRecords(payload).filter((r) => !r.n.startsWith("_"));
      t.true(readings.length > 0);
      for (const r of readings) {
        t.true(r.n === "temp" || r.n === "rh");
        t.is(r.u, r.n === "temp" ? "Cel" : "%RH");
        const v = r.v as number;
        t.true(r.n === "temp" ? v > 10 && v < 35 : v > 20 && v < 70, `plausible value ${v}`);
      }
    }

    sim.child.kill("SIGINT");
    t.is(await sim.exited, 0, "Ctrl-C exits cleanly");
    await sub.until((all) => all.some((m) => m.topic === "fieldnode/itest-1/state" && text(m.payload) === "offline"), 5000);
    t.regex(sim.output, /SIGINT: stopping/);
  } finally {
    sim.child.kill("SIGKILL");
    sub.stop();
    await broker.stop();
  }
});

brokerTest("without --broker the simulator starts an embedded broker and prints its address", async (t) => {
  const sim = startSim(["--id", "itest-2", "--state", mkdtempSync(join(tmpdir(), "fieldnode-"))]);
  try {
    const [, url, port] = await sim.waitFor(/embedded broker listening on (mqtt:\/\/127\.0\.0\.1:(\d+))/);
    t.truthy(url);
    const sub = subscribe(Number(port), "fieldnode/itest-2/#");
    try {
      await sub.until((all) => all.some((m) => m.topic === "fieldnode/itest-2/tele"));
      const pack = decode(sub.messages.find((m) => m.topic === "fieldnode/itest-2/tele")!.payload) as Map<number, unknown>[];
      t.is(pack[0].get(-2), "itest-2:");
    } finally {
      sub.stop();
    }
    sim.child.kill("SIGTERM");
    t.is(await sim.exited, 0);
  } finally {
    sim.child.kill("SIGKILL");
  }
});

test("an unreachable broker: the node keeps sampling and status says why it is not connected", async (t) => {
  const sim = startSim(["--broker", "mqtt://127.0.0.1:1", "--id", "itest-3", "--state", mkdtempSync(join(tmpdir(), "fieldnode-"))]);
  try {
    await sim.waitFor(/WARN mqtt: tcp: /);
    await sim.waitFor(/INFO|WARN/);
    await new Promise((r) => setTimeout(r, 2500));
    const status = (await sim.command("status")).join("\n");
    t.regex(status, /mqtt: (waiting|connecting) .*last failure tcp: /);
    t.regex(status, /samples=\d+/, "sampling goes on without a broker");
    t.regex(status, /temp=\d+\.\d+ Cel/);
  } finally {
    sim.child.kill("SIGKILL");
  }
});

test("console: unknown commands, over-long lines and binary garbage get ERR and the node goes on", async (t) => {
  const sim = startSim(["--broker", "mqtt://127.0.0.1:1", "--id", "itest-4", "--state", mkdtempSync(join(tmpdir(), "fieldnode-"))]);
  try {
    t.deepEqual(await sim.command("version"), [`fieldnode ${(await import("../../../modules/version.js")).FIRMWARE_VERSION} (sim)`, "OK"]);
    const unknown = await sim.command("staus");
    t.regex(unknown.at(-1)!, /^ERR unknown-command unknown command "staus"; did you mean "status"\? type help for the list$/);
    const long = await sim.command("x".repeat(5000));
    t.regex(long.at(-1)!, /^ERR line-too-long /);
    const from = sim.output.length;
    sim.child.stdin.write(Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80, 0x0a]));
    await sim.waitFor(/^ERR unknown-command /m, 10_000, from);
    t.deepEqual((await sim.command("help")).at(-1), "OK");
    t.is(sim.child.exitCode, null, "still running");
  } finally {
    sim.child.kill("SIGKILL");
  }
});

test("command-line mistakes exit with code 2 before anything starts", async (t) => {
  for (const [args, message] of [
    [["--bogus"], /Unknown option '--bogus'/],
    [["--broker", "http://x:1"], /scheme must be mqtt:\/\/ or mqtts:\/\//],
    [["--broker", "not a url"], /is not a URL/],
    [["--id", "Bad Id"], /is not a node id/],
    [["--uplink", "bogus=1"], /--uplink: unknown "bogus"/],
  ] as const) {
    const sim = startSim([...args]);
    t.is(await sim.exited, 2, args.join(" "));
    t.regex(sim.stderr, message);
    t.regex(sim.stderr, /usage: fieldnode-sim/);
    t.notRegex(sim.output, /embedded broker/, "nothing started");
  }
  const help = startSim(["--help"]);
  t.is(await help.exited, 0);
  t.regex(help.output, /--broker <url>/);
});
