import test from "ava";
import { runOnXS } from "../helpers/xs.js";
import { outboxScenario, type OutboxScenarioResult } from "./entries/outbox-scenario.js";

test("the journal outbox runs on XS exactly as on Node: reads a v1 outbox, journals, thins evenly, survives a power loss", async (t) => {
  const run = await runOnXS("test/xs/entries/outbox-journal.ts", { timeoutMs: 120_000 });
  t.teardown(() => run.close());
  const onXS = await run.command<OutboxScenarioResult>("scenario");
  const onNode = outboxScenario();
  t.deepEqual(onXS, onNode, "same decisions, same flash writes");
  t.is(onXS.restoredFromV1, 40, "the previous firmware's 40 packs");
  t.true(onXS.thinned > 0 && onXS.dropped === 0, `thinned ${onXS.thinned}, dropped ${onXS.dropped}`);
  t.deepEqual(onXS.lostAtPowerLoss, [], "the newest pack queued before the power loss is on flash");
  const replay = onXS.replay;
  t.deepEqual(replay, [...replay].sort((a, b) => a - b), "oldest first");
  t.is(replay[0], 0, "the history starts with the v1 outbox's first pack");
});
