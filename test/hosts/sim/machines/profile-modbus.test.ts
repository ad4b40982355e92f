import test from "ava";
import { profileConfig, validateProfile } from "../../../../hosts/sim/machines/profile.js";

/** A profile with a drive on the RS-485 bus: its output frequency as a channel, its run coil and speed setpoint as actuators. */
function base(): any {
  return {
    name: "drive-skid",
    chips: [{ id: "p1", type: "probe", address: "0x10" }],
    actuators: [{ name: "pump", type: "relay", pin: 25 }],
    channels: [{ name: "flow", chip: "p1", unit: "l/s", signal: { kind: "constant", value: 1 } }],
    modbus: {
      devices: [{ name: "drive", model: "drive", address: 2, poll: 500 }],
      channels: [{ name: "drive_hz", device: "drive", function: "input", register: 0, scale: 0.01, unit: "Hz" }],
      actuators: [
        { name: "drive_run", type: "modbus_coil", device: "drive", register: 0, safe_state: 100 },
        { name: "drive_speed", type: "modbus_register", device: "drive", register: 0, scale: 0.01, max: 50, safe_state: 30 },
      ],
    },
  };
}

test("a profile's Modbus part: the slaves to simulate and the node's device, channel and actuators for them", (t) => {
  const profile = validateProfile(base(), "drive.json");
  t.deepEqual(profile.modbus!.slaves, [{ model: "drive", unit: 2 }]);
  const config = profileConfig(profile);
  t.like(config, {
    "mb.drive.type": "rtu", "mb.drive.address": "2", "mb.drive.poll": "500",
    "ch.drive_hz.type": "modbus", "ch.drive_hz.measure": "value", "ch.drive_hz.device": "drive", "ch.drive_hz.scale": "0.01", "ch.drive_hz.unit": "Hz",
    "act.drive_speed.type": "modbus_register", "act.drive_speed.register": "0", "act.drive_speed.max": "50", "act.drive_speed.safe_state": "30",
    "act.drive_run.type": "modbus_coil",
  });
});

// [what the case changes, expected message]
const BAD: [string, (p: any) => void, string][] = [
  ["unknown model", (p) => (p.modbus.devices[0].model = "plc"), 'profile drive.json: modbus.devices[0].model: unknown "plc" (one of: meter, drive)'],
  ["unit out of range", (p) => (p.modbus.devices[0].address = 248), "profile drive.json: modbus.devices[0].address: must be 1..247, got 248"],
  ["channel on a missing device", (p) => (p.modbus.channels[0].device = "meter"), 'profile drive.json: modbus.channels[0].device: no device "meter" (devices: drive)'],
  ["a channel name taken", (p) => (p.modbus.channels[0].name = "flow"), 'profile drive.json: modbus.channels[0].name: channel "flow" is declared twice'],
  ["an actuator name taken", (p) => (p.modbus.actuators[0].name = "pump"), 'profile drive.json: modbus.actuators[0].name: actuator "pump" is declared twice'],
  ["a relay in the Modbus part", (p) => (p.modbus.actuators[0].type = "relay"), 'profile drive.json: modbus.actuators[0].type: unknown "relay" (one of: modbus_coil, modbus_register)'],
  ["a register out of range", (p) => (p.modbus.actuators[1].register = 70000), "profile drive.json: modbus.actuators[1].register: act.drive_speed.register must be 0..65535, got 70000"],
  ["a bad format", (p) => (p.modbus.channels[0].format = "f64"), "profile drive.json: modbus.channels[0].format: ch.drive_hz.format must be one of u16, s16, u32, s32, f32, u32sw, s32sw, f32sw, got \"f64\""],
  ["an unknown field", (p) => (p.modbus.actuators[0].pin = 5), "profile drive.json: modbus.actuators[0].pin: unknown field"],
];

test("profile validation of the Modbus part: each error names the file and the field", (t) => {
  for (const [what, change, message] of BAD) {
    const p = base();
    change(p);
    const error = t.throws(() => validateProfile(p, "drive.json"), undefined, what);
    t.true(error!.message.startsWith(message), `${what}: ${error!.message}`);
  }
});
