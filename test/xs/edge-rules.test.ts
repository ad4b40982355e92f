import test from "ava";
import { runOnXS } from "../helpers/xs.js";
import { alarmScenario, parseScenario, ruleScenario } from "./entries/edge-rules-samples.js";

test("alarm texts parse to the same alarms and errors on XS as on Node", async (t) => {
  const run = await runOnXS("test/xs/entries/edge-rules.ts");
  t.teardown(() => run.close());
  t.deepEqual(await run.command("parse", null), JSON.parse(JSON.stringify(parseScenario())));
});

test("alarms (with a reboot on the same flash) raise and clear the same events on XS as on Node", async (t) => {
  const expected = alarmScenario();
  t.true(expected.filter((l) => l.includes('"state":"raised"')).length >= 4, expected.join("\n"));
  t.true(expected.some((l) => l.startsWith("reboot|") && l !== "reboot|"), "an alarm stands at the reboot");
  const run = await runOnXS("test/xs/entries/edge-rules.ts");
  t.teardown(() => run.close());
  t.deepEqual(await run.command("alarms", null), expected);
});

test("rules (thermostat, boost by priority, interlock, stale input) act the same on XS as on Node", async (t) => {
  const expected = ruleScenario();
  for (const action of ["set comp 100", "set comp 50", "set comp 0", "interlock comp", "release comp interlock"]) t.true(expected.some((l) => l.includes(action)), action);
  t.true(expected.some((l) => l.includes("stale")), "the silent stretch goes stale");
  const run = await runOnXS("test/xs/entries/edge-rules.ts");
  t.teardown(() => run.close());
  t.deepEqual(await run.command("rules", null), expected);
});
