import test from "ava";
import { runOnXS } from "../helpers/xs.js";
import { actuatorScenario } from "../helpers/actuator-scenario.js";

test("actuators run on XS: arbitration, console test, failsafe and feedback give the same transcript as on Node", async (t) => {
  const run = await runOnXS("test/xs/entries/actuators.ts");
  t.teardown(() => run.close());
  const onXs = await run.command<string[]>("scenario", null);
  const onNode = actuatorScenario();
  t.deepEqual(onXs, onNode);
  t.true(onNode.some((l) => l.includes("ERR held pump is held by interlock (high pressure)")));
  t.true(onNode.some((l) => l.includes("by failsafe: no broker and no command for 30 s")));
  t.true(onNode.some((l) => l.startsWith("t=8000 act_fault: pump: feedback pin 7 reads 1, expected 0, for 3 s")), onNode.join("\n"));
});
