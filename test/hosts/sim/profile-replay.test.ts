import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brokerTest, startMosquitto } from "../../helpers/mosquitto.js";
import { mosquittoSub } from "../../helpers/mosquitto-sub.js";
import { resolvedRecords } from "../../helpers/senml-records.js";
import { startSim } from "../../helpers/sim-process.js";

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("utf8");

brokerTest("--profile pump-skid --replay FILE: after the last row the node delivers what it holds, publishes offline and exits 0", async (t) => {
  const broker = await startMosquitto({ extraConfig: "max_queued_messages 0\nmax_inflight_messages 0\n" });
  if (!broker) return;
  const dir = mkdtempSync(join(tmpdir(), "fieldnode-profile-replay-"));
  const file = join(dir, "skab.csv");
  const header = "datetime;Accelerometer1RMS;Accelerometer2RMS;Current;Pressure;Temperature;Thermocouple;Voltage;Volume Flow RateRMS";
  // 12 rows 1 s apart; the last three draw more current, so the last row's value must reach the broker.
  const rows = Array.from({ length: 12 }, (_, i) => `2020-03-09 10:14:${String(10 + i).padStart(2, "0")};0.2;0.3;${i >= 9 ? "4.5" : "3.5"};0.25;71.5;24.25;231;90`);
  writeFileSync(file, `${[header, ...rows].join("\n")}\n`);
  const id = "skid-replay";
  const sub = mosquittoSub(broker.port, `fieldnode/${id}/#`);
  await new Promise((r) => setTimeout(r, 300));
  const sim = startSim(["--profile", "pump-skid", "--replay", file, "--speed", "5", "--broker", broker.url, "--id", id, "--state", dir]);
  const timeout = new Promise<string>((resolve) => setTimeout(() => resolve("still running after 60 s"), 60_000).unref());
  try {
    t.is(await Promise.race([sim.exited, timeout]), 0, `exit; stderr: ${sim.stderr}`);
    t.regex(sim.output, /replay: last row sampled/);
    await sub.until((all) => all.some((m) => m.topic === `fieldnode/${id}/state` && text(m.payload) === "offline"), 10_000);
    const states = sub.messages.filter((m) => m.topic === `fieldnode/${id}/state`).map((m) => text(m.payload));
    t.is(states.at(-1), "offline");
    const currents = sub.messages
      .filter((m) => m.topic === `fieldnode/${id}/tele`)
      .flatMap((m) => resolvedRecords(m.payload))
      .filter((r) => r.n === "current")
      .map((r) => r.v as number);
    t.true(currents.some((v) => Math.abs(v - 3.5) < 0.02), `early rows delivered: ${currents.join(", ")}`);
    t.true(Math.abs(currents.at(-1)! - 4.5) < 0.02, `the last row delivered: ${currents.join(", ")}`);
  } finally {
    sim.child.kill("SIGKILL");
    sub.stop();
    await broker.stop();
  }
});
