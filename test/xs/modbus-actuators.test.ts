import test from "ava";
import { runOnXS } from "../helpers/xs.js";
import { modbusActuatorScenario } from "../helpers/modbus-actuator-scenario.js";

test("Modbus actuators and the late-answer guard run on XS: the same transcript as on Node", async (t) => {
  const run = await runOnXS("test/xs/entries/modbus-actuators.ts");
  t.teardown(() => run.close());
  const onXs = await run.command<string[]>("scenario", null);
  const onNode = modbusActuatorScenario();
  t.deepEqual(onXs, onNode);
  const text = onNode.join("\n");
  t.regex(text, /^t=500 coil 0 setpoint 2000$/m, "boot wrote the safe states");
  t.regex(text, /^t=1000 coil 1 setpoint 4500$/m, "the remote commands reached the drive");
  t.regex(text, /remote speed 99 -> ERR bad-value speed is a Modbus register: value must be a number 0\.\.50, got 99/);
  t.regex(text, /act_fault: speed: register 0 of drive: writing 30 failed \(timeout/);
  t.regex(text, /act_fault_cleared: speed: register 0 of drive took/);
  t.regex(text, /coil 0 setpoint 2000 run=off by failsafe/);
  t.notRegex(text, /read 0 -> 2222|read 1 -> 2000/, "no late answer taken for another read");
  t.regex(text, /^late [1-9]/m);
});
