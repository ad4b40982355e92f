import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startBenchFleet } from "./fleet.js";
import { brokerTest, startMosquitto } from "../helpers/mosquitto.js";

// The bench's fleet row once ran the test helper's default machine (the 2-channel climate board) and read its
// 2 samples/s per node against an assumed 8: every size "fell behind", even one node. The fleet now states what is due.
brokerTest("the bench's fleet runs the pump skid: the fleet states its 9 samples/s due per node", async (t) => {
  t.timeout(120_000);
  const broker = await startMosquitto();
  if (!broker) return;
  const fleet = await startBenchFleet(broker.url, 2, join(mkdtempSync(join(tmpdir(), "fieldnode-fleet-bench-")), "s"), 60_000);
  try {
    t.is(fleet.duePerS, 18, "2 nodes x 9 channels (8 on its ADCs and thermocouple, the drive's frequency over Modbus) at 1 Hz");
    t.regex(fleet.sim.output, /machine pump-skid/);
  } finally {
    fleet.sim.child.kill("SIGINT");
    await fleet.sim.exited;
    await broker.stop();
  }
});
