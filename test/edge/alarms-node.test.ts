/** Issue 12 item 5 end to end: ch.<name>.alarm on a booted node: the evt, console `alarms` and `status`, a reboot. */
import test from "ava";
import { decode } from "cbor-x";
import { ConfigService } from "../../modules/config/config-service.js";
import { MemoryStorage } from "../helpers/memory-platform.js";
import { bootNode, newTrace, type Trace } from "../helpers/node-rig.js";

function setAlarm(storage: MemoryStorage, text: string): void {
  const config = new ConfigService(storage, "test-node");
  config.set("ch.temp.alarm", text);
  config.save();
}

function alarmEvents(trace: Trace): Record<string, unknown>[] {
  return trace.published.filter((p) => p.topic.endsWith("/evt")).map((p) => decode(p.payload) as Record<string, unknown>).filter((e) => e.kind === "alarm");
}

test("a standing alarm is an evt, listed by alarms and counted by status; a reboot does not raise it again and reports its clearing", async (t) => {
  const storage = new MemoryStorage();
  setAlarm(storage, "high -100 delay 2");
  const trace = newTrace();
  const first = bootNode(storage, trace);
  await first.run(1500);
  t.deepEqual(alarmEvents(trace), [], "the delay holds it for 2 s");
  t.regex(await first.type("alarms"), /no active alarms/);
  await first.run(3000);
  const raised = alarmEvents(trace);
  t.is(raised.length, 1);
  t.like(raised[0], { kind: "alarm", channel: "temp", type: "high", state: "raised", limit: -100 });
  t.regex(await first.type("alarms"), /temp high [0-9.-]+ \(limit -100\) for \d+ s/);
  t.regex(await first.type("status"), /alarms: 1 active/);
  await first.stop();

  const again = newTrace();
  const second = bootNode(storage, again);
  await second.run(5000);
  t.deepEqual(alarmEvents(again), [], "standing at the reboot: not raised again");
  t.regex(await second.type("alarms"), /temp high \(limit -100\) \(standing since before boot\)/);
  await second.stop();

  setAlarm(storage, "high 1000");
  const third = newTrace();
  const node = bootNode(storage, third);
  await node.run(3000);
  t.like(alarmEvents(third)[0], { channel: "temp", type: "high", state: "cleared", limit: 1000 });
  t.regex(await node.type("status"), /alarms: 0 active/);
  await node.stop();
});
