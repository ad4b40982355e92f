/**
 * The pump skid's drive, a simulated Modbus slave at the byte level: the
 * console's `act drive_speed 45` writes its speed setpoint through the
 * node's master, and the `drive_hz` channel reads its output frequency
 * back; stopping it with `act drive_run off` brings the frequency down.
 * With `--serial` the profile's simulated drive (and the node's device,
 * channel and actuators for it) are left out: the real port has no such
 * slave.
 */
import test from "ava";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSim, type SimProcess } from "../../helpers/sim-process.js";

const state = () => mkdtempSync(join(tmpdir(), "fieldnode-drive-"));

async function hz(sim: SimProcess): Promise<number> {
  const reply = (await sim.command("read drive_hz", 20_000)).join("\n");
  const match = /drive_hz = (-?[0-9.]+) Hz/.exec(reply);
  return match ? Number(match[1]) : Number.NaN;
}

async function until(check: () => Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test("act drive_speed 45 at the console: the simulated drive's output frequency, read back by a Modbus channel, goes to 45 Hz; drive_run off brings it to 0", async (t) => {
  const sim = startSim(["--speed", "10", "--broker", "mqtt://127.0.0.1:1", "--state", state()], { ownDefault: true });
  t.teardown(() => void sim.child.kill("SIGKILL"));
  await sim.waitFor(/profile pump-skid: 9 channels \([^)]*drive_hz\), 4 actuator\(s\)/, 30_000);
  // Boot: the safe states run it at 30 Hz.
  await until(async () => Math.abs((await hz(sim)) - 30) < 0.01, "30 Hz at boot");
  const reply = await sim.command("act drive_speed 45", 20_000);
  t.is(reply.at(-1), "OK", reply.join(" | "));
  await until(async () => Math.abs((await hz(sim)) - 45) < 0.01, "45 Hz");
  t.regex((await sim.command("act", 20_000)).join("\n"), /drive_speed=45 by console \(\d+ s left\)/);
  t.regex((await sim.command("act drive_speed 51", 20_000)).join("\n"), /ERR bad-value drive_speed is a Modbus register: value must be a number 0\.\.50, got 51/);
  t.is((await sim.command("act drive_run off", 20_000)).at(-1), "OK");
  await until(async () => (await hz(sim)) === 0, "stopped");
});

test("--serial leaves the profile's simulated drive out: 8 channels, no mb.drive", async (t) => {
  const sim = startSim(["--serial", "/dev/null", "--broker", "mqtt://127.0.0.1:1", "--state", state()], { ownDefault: true });
  t.teardown(() => void sim.child.kill("SIGKILL"));
  await sim.waitFor(/profile pump-skid: 8 channels \([^)]*flow\), 2 actuator\(s\)/, 30_000);
  t.regex((await sim.command("get mb.drive.address", 20_000)).join("\n"), /ERR unknown-key no Modbus device "drive"/);
});

test("sim modbus 2 noanswer: act drive_speed shows the failed write and its act_fault; sim modbus 2 none: the drive takes the latest value", async (t) => {
  const sim = startSim(["--speed", "10", "--broker", "mqtt://127.0.0.1:1", "--state", state()], { ownDefault: true });
  t.teardown(() => void sim.child.kill("SIGKILL"));
  await sim.waitFor(/profile pump-skid: 9 channels/, 30_000);
  await until(async () => Math.abs((await hz(sim)) - 30) < 0.01, "30 Hz at boot");
  t.deepEqual(await sim.command("sim modbus 2 noanswer", 20_000), ["unit 2: fault noanswer", "OK"]);
  t.regex((await sim.command("sim modbus 9 crc", 20_000)).join("\n"), /ERR bad-value no simulated slave at unit "9"; units: 2/);
  t.regex((await sim.command("sim modbus 2 exception 7", 20_000)).join("\n"), /ERR bad-value usage: sim modbus <unit>/);
  const from = sim.output.length;
  t.is((await sim.command("act drive_speed 40", 20_000)).at(-1), "OK");
  await sim.waitFor(/act_fault: drive_speed: register 0 of drive: writing 40 failed \(timeout/, 30_000, from);
  await until(async () => /drive_speed=40 by console \(\d+ s left\) \[write failed: timeout/.test((await sim.command("act", 20_000)).join("\n")), "act shows the failed write");
  t.regex((await sim.command("sim modbus", 20_000)).join("\n"), /unit 2: \d+ request\(s\), fault noanswer/);
  t.deepEqual(await sim.command("sim modbus 2 none", 20_000), ["unit 2: fault none", "OK"]);
  await until(async () => Math.abs((await hz(sim)) - 40) < 0.01, "40 Hz once the drive answers again", 60_000);
  await sim.waitFor(/act_fault_cleared: drive_speed: register 0 of drive took 40/, 30_000, from);
});
