import test from "ava";
import { modbusScenario } from "../helpers/modbus-scenario.js";
import { runOnXS } from "../helpers/xs.js";

test("the Modbus master runs on XS against the byte-level slave models: same results, times and counters as on Node", async (t) => {
  const run = await runOnXS("test/xs/entries/modbus-master.ts");
  t.teardown(() => run.close());
  for (const baud of [9600, 115200]) {
    const onXS = await run.command<ReturnType<typeof modbusScenario>>("scenario", baud);
    t.deepEqual(onXS, modbusScenario(baud), `at ${baud} baud`);
    const text = onXS.lines.join("\n");
    t.regex(text, /^read-holding@\d+ ok 3000,50,11,12$/m);
    t.regex(text, /^silent@\d+ timeout$/m);
    t.regex(text, /^meter@\d+ ok \d+,\d+$/m);
    t.regex(text, /^exception@\d+ exception_2$/m);
    t.regex(text, /^status@\d+ ok 1,1,0$/m);
    t.regex(text, /^frequency@\d+ ok 3000$/m);
    t.regex(text, /^crc@\d+ crc$/m);
    t.is(onXS.counts.crc, 2);
  }
});
