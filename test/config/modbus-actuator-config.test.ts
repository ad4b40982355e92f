import test from "ava";
import { ConfigService } from "../../modules/config/config-service.js";
import { MemoryStorage } from "../helpers/memory-platform.js";

/** A drive on the bus and two actuators writing it: its run coil and its speed setpoint in 0.01 Hz. */
const GOOD: [string, string][] = [
  ["mb.drive.type", "rtu"],
  ["mb.drive.address", "2"],
  ["act.drive_run.type", "modbus_coil"],
  ["act.drive_run.device", "drive"],
  ["act.drive_run.register", "0"],
  ["act.drive_run.safe_state", "100"],
  ["act.drive_speed.type", "modbus_register"],
  ["act.drive_speed.device", "drive"],
  ["act.drive_speed.register", "0"],
  ["act.drive_speed.scale", "0.01"],
  ["act.drive_speed.max", "50"],
  ["act.drive_speed.safe_state", "30"],
  ["act.drive_speed.failsafe_s", "60"],
  ["act.drive_speed.rewrite_s", "30"],
];

function service(lines: [string, string][], storage = new MemoryStorage()): ConfigService {
  const config = new ConfigService(storage, "test");
  for (const [key, value] of lines) config.set(key, value);
  return config;
}

test("Modbus actuators: saved, and resolved with their defaults (u16, offset 0, min from the format)", (t) => {
  const storage = new MemoryStorage();
  t.notThrows(() => service(GOOD, storage).save());
  const actuators = new ConfigService(storage, "test").resolved().actuators!;
  t.like(actuators.find((a) => a.name === "drive_speed"), {
    type: "modbus_register", safeState: 30, failsafeS: 60,
    modbus: { device: "drive", register: 0, format: "u16", scale: 0.01, offset: 0, min: 0, max: 50, rewriteS: 30 },
  });
  const run = actuators.find((a) => a.name === "drive_run")!;
  t.is(run.type, "modbus_coil");
  t.is(run.pin, undefined);
  t.like(run.modbus, { device: "drive", register: 0 });
});

/** [changes to GOOD, what save's ERR says (each names the key)]. */
const BAD: [[string, string][], RegExp][] = [
  [[["act.drive_speed.device", "pump"]], /act\.drive_speed\.device "pump" names no Modbus device \(set mb\.pump\.type rtu\)/],
  [[["act.drive_run.format", "f32"]], /act\.drive_run\.format f32 does not fit a coil/],
  [[["act.drive_run.scale", "2"]], /act\.drive_run\.scale 2 does not fit a coil/],
  [[["act.drive_speed.register", "65535"], ["act.drive_speed.format", "u32"]], /act\.drive_speed\.register 65535 with format u32 passes 65535/],
  [[["act.drive_speed.format", "u32"], ["act.other.type", "modbus_register"], ["act.other.device", "drive"], ["act.other.register", "1"]],
    /act\.other\.register 1 \(holding register 1\.\.1 of drive\) overlaps act\.drive_speed\.register \(0\.\.1\)/],
  [[["act.run2.type", "modbus_coil"], ["act.run2.device", "drive"], ["act.run2.register", "0"]], /act\.run2\.register 0 \(coil 0\.\.0 of drive\) overlaps act\.drive_run\.register/],
  [[["act.drive_speed.scale", "0"]], /act\.drive_speed\.scale must not be 0/],
  [[["act.drive_speed.safe_state", "60"]], /act\.drive_speed\.safe_state 60 is outside act\.drive_speed\.min\.\.max \(0\.\.50\)/],
  [[["act.drive_speed.max", "700"]], /act\.drive_speed\.max 700 does not fit u16 with scale 0\.01/],
  [[["act.drive_speed.min", "40"], ["act.drive_speed.max", "20"], ["act.drive_speed.safe_state", "30"]], /act\.drive_speed\.min 40 is above act\.drive_speed\.max 20/],
  [[["act.drive_speed.safe_state", "-5"]], /act\.drive_speed\.safe_state -5 does not fit u16/],
  [[["act.drive_run.safe_state", "50"]], /act\.drive_run\.safe_state of a coil must be 0 \(off\) or 100 \(on\), got 50/],
  [[["act.drive_run.pin", "5"]], /act\.drive_run\.pin 5: a modbus_coil actuator has no pin/],
  [[["act.x.type", "modbus_register"]], /act\.x\.device must be set for modbus_register.*act\.x\.register must be set for modbus_register/],
  [[["act.pump.type", "relay"], ["act.pump.pin", "5"], ["act.pump.device", "drive"]], /act\.pump\.device is only for modbus_coil and modbus_register actuators, not relay/],
  [[["act.pump.type", "relay"], ["act.pump.pin", "5"], ["act.pump.rewrite_s", "10"]], /act\.pump\.rewrite_s is only for modbus_coil and modbus_register actuators, not relay/],
  [[["act.fan.type", "pwm"], ["act.fan.pin", "5"], ["act.fan.safe_state", "150"]], /act\.fan\.safe_state of a PWM output must be 0\.\.100 \(%\), got 150/],
];
for (const [changes, message] of BAD)
  test(`save refuses: ${message.source.slice(0, 60)}`, (t) => {
    const storage = new MemoryStorage();
    const config = service([...GOOD, ...changes], storage);
    const error = t.throws(() => config.save());
    t.regex(error!.message, message);
    t.deepEqual(storage.keys(), [], "nothing saved");
  });

test("set refuses a value outside the field's own bounds at once, naming the key", (t) => {
  const config = service(GOOD.slice(0, 7));
  t.throws(() => config.set("act.drive_speed.register", "70000"), { message: /act\.drive_speed\.register must be 0\.\.65535, got 70000/ });
  t.throws(() => config.set("act.drive_speed.format", "f64"), { message: /act\.drive_speed\.format must be one of u16, s16/ });
  t.throws(() => config.set("act.drive_speed.type", "modbus"), { message: /act\.drive_speed\.type must be one of relay, pwm, modbus_coil, modbus_register/ });
});
