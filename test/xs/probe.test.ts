import test from "ava";
import { runOnXS } from "../helpers/xs.js";
import { probeScenario } from "../helpers/probe-scenario.js";

test("a replayed probe channel runs on XS: each row sampled once at its own time, values exact, then no more samples", async (t) => {
  const run = await runOnXS("test/xs/entries/probe.ts");
  t.teardown(() => run.close());
  const onNode = probeScenario();
  t.deepEqual(onNode, [
    "t=1000 v=0.202394 q=good",
    "t=2000 v=-0.273216 q=good",
    "t=4000 v=122.664 q=good",
    "t=5000 v=1e-7 q=good",
    "t=8500 v=-2500000000 q=good",
  ]);
  t.deepEqual(await run.command<string[]>("scenario", null), onNode);
});
