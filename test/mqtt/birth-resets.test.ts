import test from "ava";
import { decode } from "cbor-x";
import { MemoryStorage } from "../helpers/memory-platform.js";
import { bootNode, newTrace } from "../helpers/node-rig.js";

test("the birth says this boot's reset reason and counts resets by reason across boots", async (t) => {
  const storage = new MemoryStorage();
  let births: Record<string, unknown>[] = [];
  for (let boot = 1; boot <= 3; boot++) {
    const trace = newTrace();
    const node = bootNode(storage, trace);
    await node.run(3_000);
    births = trace.published.filter((p) => p.topic.endsWith("/birth") && p.payload.byteLength > 0).map((p) => decode(p.payload) as Record<string, unknown>);
    await node.stop();
  }
  const birth = births.at(-1)!;
  t.is(birth.reset, "power-on");
  t.deepEqual(birth.resets, { "power-on": 3 }, "three power-on boots, reasons never seen left out");
});
