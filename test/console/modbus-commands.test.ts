import test from "ava";
import { modbusCommands } from "../../modules/console/commands/modbus.js";
import { ModbusBus } from "../../modules/io/modbus/modbus-bus.js";
import { simulatedRs485 } from "../../modules/io/models/simulated-rs485.js";
import type { IOProvider } from "../../modules/platform.js";
import { FakeTimers } from "../helpers/fake-timers.js";

function rig(withBus = true) {
  const timers = new FakeTimers();
  const rs485 = simulatedRs485(timers, () => timers.monotonic());
  const io = { Serial: rs485.serialClass() } as unknown as IOProvider;
  const bus = withBus
    ? new ModbusBus({ io, timers, clock: timers, devices: [{ name: "drive", address: 2, baud: 9600, parity: "even", stopBits: 1, pollMs: 60_000, timeoutMs: 100 }] })
    : undefined;
  const [command] = modbusCommands(() => bus);
  const run = async (line: string): Promise<string[]> => {
    const out: string[] = [];
    try {
      const done = command.run(line.split(" ").slice(1), (text) => void out.push(text));
      for (let i = 0; i < 200 && out.length === 0; i++) {
        timers.advance(50);
        await Promise.resolve();
      }
      await done;
    } catch (error) {
      out.push(`ERR ${(error as { code?: string }).code} ${(error as Error).message}`);
    }
    return out;
  };
  return { run, rs485 };
}

test("modbus write then read, by device name and by unit address; scan finds the meter and the drive", async (t) => {
  const { run, rs485 } = rig();
  t.deepEqual(await run("modbus write drive register 0 2500"), ["register 0 of unit 2 written"]);
  t.deepEqual(await run("modbus write 2 coil 0 on"), ["coil 0 of unit 2 written"]);
  t.deepEqual(await run("modbus read drive holding 0 2"), ["holding 0 = 2500 (0x09c4, s16 2500)", "holding 1 = 50 (0x0032, s16 50)"]);
  t.deepEqual(await run("modbus read 2 coil 0"), ["coil 0 = 1"]);
  t.deepEqual(await run("modbus write drive register 1 -2"), ["register 1 of unit 2 written"]);
  t.is(rs485.slaves[1].tables.holding[1], 0xfffe);
  t.deepEqual(await run("modbus scan 1-4"), ["units answering: 1 (exception_2), 2"]);
});

test("bad input and faults: ERR with the code and the value", async (t) => {
  const { run } = rig();
  t.deepEqual(await run("modbus read pump holding 0"), ['ERR unknown-device no Modbus device "pump"; devices: drive']);
  t.deepEqual(await run("modbus read drive register 0"), ['ERR usage function must be coil, discrete, holding or input, got "register"']);
  t.deepEqual(await run("modbus read drive holding 70000"), ['ERR usage register must be 0..65535, got "70000"']);
  t.deepEqual(await run("modbus read drive holding 0 126"), ['ERR usage count must be 1..125, got "126"']);
  t.deepEqual(await run("modbus write drive coil 0 maybe"), ['ERR usage a coil takes on, off, 1 or 0, got "maybe"']);
  t.deepEqual(await run("modbus read drive input 7 2"), ["ERR modbus exception_2: exception 2"]);
  t.deepEqual(await run("modbus read 9 holding 0"), ["ERR modbus timeout: no answer from unit 9 in 100 ms"]);
  t.deepEqual(await run("modbus scan 9"), ['ERR usage scan takes a range such as 1-10, got "9"']);
  t.deepEqual(await rig(false).run("modbus scan"), ["ERR no-modbus no Modbus port: configure a device (set mb.<dev>.type rtu, save, restart)"]);
});
