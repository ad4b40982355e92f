/** Issue 12 item 6: `rule.<name>.*` keys, refused at set or save naming the key. */
import test from "ava";
import { ConfigService } from "../../modules/config/config-service.js";
import { MemoryStorage } from "../helpers/memory-platform.js";

function service(keys: [string, string][]) {
  const storage = new MemoryStorage();
  const config = new ConfigService(storage, "test-node");
  for (const [k, v] of [["act.comp.type", "relay"], ["act.comp.pin", "5"], ...keys]) config.set(k, v);
  return { config, storage };
}

const THERMOSTAT: [string, string][] = [["rule.cool.type", "threshold"], ["rule.cool.input", "temp"], ["rule.cool.output", "comp"], ["rule.cool.on_above", "5"], ["rule.cool.off_below", "3"], ["rule.cool.else", "0"]];

test("a thermostat rule saves and resolves", (t) => {
  const { config, storage } = service(THERMOSTAT);
  config.save();
  t.deepEqual(new ConfigService(storage, "test-node").resolved().rules, [{ name: "cool", kind: "threshold", input: "temp", output: "comp", direction: "above", on: 5, off: 3, value: 100, otherwise: 0, priority: 0, staleMs: 30_000 }]);
});

const BAD: [string, [string, string][], string][] = [
  ["a missing channel", [["rule.cool.input", "tmp"]], 'rule.cool.input "tmp" is not a channel (channels: rh, temp)'],
  ["a missing actuator", [["rule.cool.output", "fan"]], 'rule.cool.output "fan" is not an actuator (actuators: comp)'],
  ["two rules on one actuator at one priority", [["rule.b.type", "threshold"], ["rule.b.input", "rh"], ["rule.b.output", "comp"], ["rule.b.on_above", "90"]], "rule.cool.priority: rules b and cool both drive comp at priority 0; give them distinct priorities"],
  ["both on limits", [["rule.cool.on_below", "1"]], "rule.cool: set exactly one of on_above and on_below"],
  ["an off limit on the wrong side", [["rule.cool.off_below", "6"]], "rule.cool.off_below 6 must be at most on_above 5"],
  ["the off limit of the other direction", [["rule.cool.off_above", "6"]], "rule.cool.off_above goes with on_below; with on_above use off_below"],
];

for (const [name, extra, message] of BAD)
  test(`save refuses ${name}, naming the key, and keeps the old config`, (t) => {
    const { config, storage } = service([...THERMOSTAT, ...extra]);
    const error = t.throws(() => config.save());
    t.true(error?.message.includes(message), error?.message);
    t.deepEqual(new ConfigService(storage, "test-node").resolved().rules, [], "nothing saved");
  });

test("set refuses a bad rule value naming the key", (t) => {
  const { config } = service([["rule.cool.type", "threshold"]]);
  t.throws(() => config.set("rule.cool.priority", "200"), { message: "rule.cool.priority must be 0..100, got 200" });
  t.throws(() => config.set("rule.cool.kind", "x"), { message: /unknown key "rule.cool.kind"; rule fields are type, input/ });
  t.throws(() => config.set("rule.cool.input", "Temp"), { message: /rule.cool.input must be a channel name/ });
});
