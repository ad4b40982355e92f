import test from "ava";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brokerTest, startMosquitto } from "../../helpers/mosquitto.js";
import { mosquittoSub } from "../../helpers/mosquitto-sub.js";
import { resolvedRecords } from "../../helpers/senml-records.js";
import { startSim, type SimProcess } from "../../helpers/sim-process.js";

/** A SenML-CBOR pack with integer labels kept as Map keys (RFC 8428 §6). */

const state = () => mkdtempSync(join(tmpdir(), "fieldnode-machine-"));

/** The value `read <channel>` gives. */
async function read(sim: SimProcess, channel: string): Promise<number> {
  const reply = (await sim.command(`read ${channel}`)).join("\n");
  const match = /= (-?[0-9.]+)/.exec(reply);
  if (!match) throw new Error(`read ${channel}: ${reply}`);
  return Number(match[1]);
}

/** Polls until `check` holds (real time, generous: virtual time does the work). */
async function until(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

brokerTest("cold room: switching the compressor off with act warms the room, stops its current, and the event names the console", async (t) => {
  const sim = startSim(["--profile", "cold-room", "--speed", "60", "--id", "cold-1", "--state", state()]);
  try {
    await sim.waitFor(/INFO mqtt: connected/, 30_000);
    await sim.waitFor(/profile cold-room: 4 channels/);
    const cold = await read(sim, "room_temp");
    t.true(cold > 0 && cold < 6, `the thermostat rule holds the room at 3-5 °C, got ${cold}`);
    // The cooling rule runs it above 5 °C: it draws current then.
    await until(async () => (await read(sim, "comp_current")) > 5, "the compressor draws current", 120_000);
    // min_on_s 30 from boot: at 60x that is half a second of real time.
    await until(async () => !(await sim.command("act compressor off for 3600")).join("\n").includes("ERR min-on"), "compressor min on time");
    await sim.waitFor(/event: act: compressor off( \(was on\))? by console: test for 3600 s/);
    await until(async () => (await read(sim, "comp_current")) < 0.5, "compressor current falls");
    await until(async () => (await read(sim, "room_temp")) > 7, "the room warms past the rule's band: the console outranks the rule");
    t.regex((await sim.command("act")).join("\n"), /compressor=off by console \(\d+ s left\)/);
    t.regex((await sim.command("sim")).join("\n"), /room_temp = [0-9.]+/);
  } finally {
    sim.child.kill("SIGKILL");
  }
});

test("--profile cold-room holds its temperature by itself, offline: its cooling rule keeps the room in 3-5 °C over a simulated hour", async (t) => {
  const sim = startSim(["--profile", "cold-room", "--speed", "50", "--broker", "mqtt://127.0.0.1:1", "--state", state()]);
  try {
    await sim.waitFor(/profile cold-room: 4 channels/);
    // Boot: the compressor runs (safe state on), the room at 2 °C; the rule stops it after min_on_s and the room warms into the band.
    await until(async () => (await read(sim, "room_temp").catch(() => 0)) > 3, "the room warms into the band", 60_000);
    const readings: number[] = [];
    const uptime = async () => Number(/uptime: (\d+) s/.exec((await sim.command("status")).join("\n"))?.[1]);
    const start = await uptime();
    while ((await uptime()) < start + 3600) {
      const value = await read(sim, "room_temp").catch(() => Number.NaN);
      if (Number.isFinite(value)) readings.push(value);
      await new Promise((r) => setTimeout(r, 200));
    }
    const min = Math.min(...readings);
    const max = Math.max(...readings);
    // 3-5 °C with its hysteresis; the door's heat (a 45 s opening every 15 min) may push it up to about 1 °C over before it decays.
    t.true(readings.length > 100, `${readings.length} readings`);
    t.true(min > 2.7, `lowest ${min}`);
    t.true(max < 6.5, `highest ${max}`);
    t.true(min < 3.5 && max > 4.5, `it cycles through the band: ${min}..${max}`);
    const actions = sim.output.match(/event: rule: cooling: compressor (0|100)/g) ?? [];
    t.true(actions.length >= 3, `the rule switched the compressor: ${actions.join(", ")}`);
  } finally {
    sim.child.kill("SIGKILL");
  }
});

test("sim fault: a NACKing chip makes its channel fail, sim clear brings it back; bad targets are refused", async (t) => {
  const sim = startSim(["--profile", "tank", "--speed", "20", "--broker", "mqtt://127.0.0.1:1", "--state", state()]);
  try {
    await sim.waitFor(/profile tank: 3 channels/);
    t.true(Number.isFinite(await read(sim, "level")));
    t.deepEqual(await sim.command("sim fault level nack for 600"), ["fault nack on level for 600 s", "OK"]);
    await sim.waitFor(/INFO sim: fault nack on level for 600 s/);
    t.regex((await sim.command("read level")).join("\n"), /^ERR read-failed level: /m);
    t.deepEqual(await sim.command("sim clear"), ["cleared 1 fault(s)", "OK"]);
    await sim.waitFor(/INFO sim: fault nack on level ended \(cleared\)/);
    await until(async () => !(await sim.command("read level")).join("\n").startsWith("ERR"), "level readable again");
    t.regex((await sim.command("sim fault attic stuck")).join("\n"), /^ERR bad-value no chip or channel "attic"; targets: /);
    t.regex((await sim.command("sim fault level melt")).join("\n"), /^ERR bad-value fault must be one of nack, stuck, open, noise, spike, drift, got "melt"/);
    t.regex((await sim.command("sim fault level")).join("\n"), /^ERR usage usage: sim/);
  } finally {
    sim.child.kill("SIGKILL");
  }
});

// [profile file content, expected stderr line after "fieldnode-sim: "]
const BAD: [string, string | RegExp][] = [
  ['{"name": "x", "channels": [}', /^profile (.*)bad\.json: line 1, column 28: not JSON: unexpected "}"/],
  ['{"name": "x", "chips": [{"id": "p", "type": "probe", "address": 16}], "channels": [{"name": "a", "chip": "p", "signal": {"kind": "sinus"}}]}',
    /^profile (.*)bad\.json: channels\[0\]\.signal\.kind: unknown "sinus" \(one of: constant, sine, random_walk, step, ramp, noise, spikes, csv\)$/],
  ['{"name": "x", "chips": [{"id": "p", "type": "probe", "address": 16}], "actuators": [{"name": "a", "type": "relay", "pin": 4}, {"name": "b", "type": "relay", "pin": 4}], "channels": [{"name": "a", "chip": "p", "signal": {"kind": "constant", "value": 1}}]}',
    /^profile (.*)bad\.json: actuators\[1\]\.pin: pin 4 is used twice \(also actuator "a"\)$/],
  ['{"name": "x", "chips": [{"id": "p", "type": "probe", "address": 16}], "channels": [{"name": "a", "chip": "p", "signal": {"kind": "constant", "value": 1}, "couplings": [{"channel": "b", "on": 1}]}]}',
    /^profile (.*)bad\.json: channels\[0\]\.couplings\[0\]\.channel: no channel "b"$/],
];

test("a bad profile: one line naming the file and the line or field, exit 2 before anything starts", async (t) => {
  for (const [content, message] of BAD) {
    const dir = state();
    const file = join(dir, "bad.json");
    writeFileSync(file, content);
    const sim = startSim(["--profile", file, "--broker", "mqtt://127.0.0.1:1", "--state", dir]);
    t.is(await sim.exited, 2, content);
    t.regex(sim.stderr.replace(/^fieldnode-sim: /, "").trimEnd(), message as RegExp);
    t.is(sim.output, "", "nothing started");
  }
  const sim = startSim(["--profile", "fridge", "--broker", "mqtt://127.0.0.1:1", "--state", state()]);
  t.is(await sim.exited, 2);
  t.is(sim.stderr, "fieldnode-sim: --profile fridge: no such profile (shipped: climate, cold-room, pump-skid, tank; or give a .json file)\n");
});

test("every shipped profile starts and its channels read", async (t) => {
  for (const profile of ["pump-skid", "cold-room", "tank", "climate"]) {
    const sim = startSim(["--profile", profile, "--speed", "10", "--broker", "mqtt://127.0.0.1:1", "--state", state()]);
    try {
      const [, list] = await sim.waitFor(/profile [a-z-]+: \d+ channels \(([^)]*)\)/);
      // A converter's first conversion may still be running (not_ready): each channel reads within a few tries.
      for (const channel of list.split(", ")) await until(async () => Number.isFinite(await read(sim, channel).catch(() => Number.NaN)), `${profile}: ${channel} reads`, 20_000);
      t.pass(profile);
    } finally {
      sim.child.kill("SIGKILL");
    }
  }
});

test("--profile pump-skid --replay FILE: the file feeds the profile's channels; a missing column exits 2 naming it", async (t) => {
  const dir = state();
  const file = join(dir, "skab.csv");
  const header = "datetime;Accelerometer1RMS;Accelerometer2RMS;Current;Pressure;Temperature;Thermocouple;Voltage;Volume Flow RateRMS";
  const rows = Array.from({ length: 50 }, (_, i) => `2020-03-09 10:${String(14 + Math.floor(i / 60)).padStart(2, "0")}:${String(i % 60).padStart(2, "0")};0.2;0.3;3.5;0.25;71.5;24.25;231;90`);
  writeFileSync(file, `${[header, ...rows].join("\n")}\n`);
  // The run ends about 51 s of machine time after start (the last row plus two intervals): at 2x, time enough to read.
  const sim = startSim(["--profile", "pump-skid", "--replay", file, "--speed", "2", "--broker", "mqtt://127.0.0.1:1", "--state", dir]);
  try {
    await sim.waitFor(/profile pump-skid: 9 channels .*data .*skab\.csv \(50 rows\)/);
    // Through the chip models: 4-20 mA on the ADC or the ADS1115 (a few counts of quantisation), the thermocouple in 0.25 °C steps.
    const near = async (channel: string, want: number, tolerance: number) =>
      until(async () => Math.abs((await read(sim, channel).catch(() => Number.NaN)) - want) <= tolerance, `${channel} near ${want}`, 20_000);
    await near("current", 3.5, 0.02);
    await near("flow", 1.5, 0.01);
    await near("pressure", 25_000, 300);
    await near("fluid_temp", 24.25, 0.25);
    await near("voltage", 231, 1);
    t.pass();
  } finally {
    sim.child.kill("SIGKILL");
  }
  const bad = join(dir, "short.csv");
  writeFileSync(bad, "datetime;Current\n2020-03-09 10:14:33;1\n");
  const refused = startSim(["--profile", "pump-skid", "--replay", bad, "--broker", "mqtt://127.0.0.1:1", "--state", dir]);
  t.is(await refused.exited, 2);
  t.regex(refused.stderr, /^fieldnode-sim: profile pump-skid\.json: channels\.vib1\.signal\.column: replay .*short\.csv: no column "Accelerometer1RMS" \(columns: Current\)\n$/);
});

brokerTest("npm start's default, the pump skid: nine channels (eight and the drive's Modbus frequency) each with a SenML unit reach the broker; the pump relay off with act makes flow and current fall", async (t) => {
  const broker = await startMosquitto({ extraConfig: "max_queued_messages 0\nmax_inflight_messages 0\n" });
  if (!broker) return;
  const id = "skid-default";
  const sub = mosquittoSub(broker.port, `fieldnode/${id}/tele`);
  await new Promise((r) => setTimeout(r, 300));
  // No --profile, as `npm start` runs it.
  const sim = startSim(["--speed", "10", "--broker", broker.url, "--id", id, "--state", state()], { ownDefault: true });
  try {
    const [, list] = await sim.waitFor(/profile pump-skid: 9 channels \(([^)]*)\)/, 30_000);
    const names = list.split(", ");
    const records = () => sub.messages.flatMap((m) => resolvedRecords(m.payload)).filter((r) => !r.n.startsWith("_"));
    // A converter's first reading may be not_ready: wait until each channel has sent a value.
    await sub.until(() => names.every((n) => records().some((r) => r.n === n && typeof r.v === "number")), 60_000);
    const units = new Map(records().filter((r) => typeof r.v === "number").map((r) => [r.n, r.u]));
    t.deepEqual([...units.keys()].sort(), [...names].sort(), "every channel in the telemetry: the eight of the skid and the drive's frequency");
    for (const [name, unit] of units) t.true(typeof unit === "string" && unit.length > 0, `${name} has a SenML unit, got ${String(unit)}`);
    const flow = await read(sim, "flow");
    const current = await read(sim, "current");
    t.true(flow > 0.5 && current > 1, `the running pump: flow ${flow}, current ${current}`);
    // min_on_s 5 from boot: half a second of real time at 10x.
    await until(async () => !(await sim.command("act pump off for 600")).join("\n").includes("ERR min-on"), "pump min on time");
    await until(async () => (await read(sim, "flow")) < 0.1 * flow, "flow falls");
    await until(async () => (await read(sim, "current")) < 0.1 * current, "current falls");
    t.regex((await sim.command("act")).join("\n"), /pump=off by console/);
  } finally {
    sim.child.kill("SIGKILL");
    sub.stop();
    await broker.stop();
  }
});
