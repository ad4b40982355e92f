/**
 * `--serial PATH`: the simulator's RS-485 port bound to one end of a socat
 * pty pair, modbus-serial's ServerSerial (an independent slave) on the
 * other; the device configured with --override, read through a modbus
 * channel and the console.
 */
import test from "ava";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startIndependentSlave } from "../../helpers/modbus-serial-slave.js";
import { ptyPair } from "../../helpers/pty-pair.js";
import { startSim } from "../../helpers/sim-process.js";


test("the simulator with --serial reaches a slave on a pty: modbus read/write at the console, a modbus channel", async (t) => {
  const pair = await ptyPair();
  t.teardown(() => pair.close());
  const holding = Array.from({ length: 20 }, (_, i) => 100 + i);
  const slave = await startIndependentSlave(pair.a, 5, { getHoldingRegister: (a: number) => holding[a] ?? 0, getInputRegister: () => 0, getCoil: () => false, getDiscreteInput: () => false, setRegister: (a: number, v: number) => void (holding[a] = v), setCoil: () => {} });
  t.teardown(() => slave.close());
  const state = mkdtempSync(join(tmpdir(), "fieldnode-modbus-"));
  t.teardown(() => rmSync(state, { recursive: true, force: true }));
  const sim = startSim(["--state", state, "--serial", pair.b]);
  t.teardown(() => void sim.child.kill());
  // Restart keys: set at the console, saved, and a reboot opens the port with them.
  for (const line of ["set mb.plc.type rtu", "set mb.plc.address 5", "set mb.plc.parity none", "set mb.plc.timeout 1000", "set mb.plc.poll 500",
    "set ch.level.type modbus", "set ch.level.device plc", "set ch.level.register 3", "set ch.level.scale 0.5", "save"]) {
    const reply = await sim.command(line, 20_000);
    t.is(reply.at(-1), "OK", `${line}: ${reply.join(" | ")}`);
  }
  await sim.command("reboot", 20_000);
  // Until the rebooted node has its port (the old one says no-modbus, a reboot in progress may say nothing).
  let ready = false;
  for (let i = 0; i < 60 && !ready; i++) {
    const reply = await sim.command("modbus read plc holding 3", 20_000).catch(() => [] as string[]);
    ready = reply.join("\n").includes("holding 3 = 103") && reply.at(-1) === "OK";
    if (!ready) await new Promise((resolve) => setTimeout(resolve, 500));
  }
  t.true(ready, sim.output.slice(-1500));
  t.deepEqual(await sim.command("modbus write plc register 4 777", 20_000), ["register 4 of unit 5 written", "OK"]);
  t.is(holding[4], 777);
  t.deepEqual(await sim.command("modbus read plc holding 3 2", 20_000), ["holding 3 = 103 (0x0067, s16 103)", "holding 4 = 777 (0x0309, s16 777)", "OK"]);
  // The channel's value is the device's latest poll (every 500 ms): the first may not have come yet.
  let reply: string[] = [];
  for (let i = 0; i < 60 && !/level = /.test(reply.join("\n")); i++) {
    if (i) await new Promise((resolve) => setTimeout(resolve, 250));
    reply = await sim.command("read level", 20_000);
  }
  t.regex(reply.join("\n"), /level = 51\.5 \//);
  t.regex((await sim.command("modbus read 9 holding 0", 20_000)).join("\n"), /ERR modbus timeout/);
});
