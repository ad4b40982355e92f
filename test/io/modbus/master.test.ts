import test from "ava";
import { ModbusMaster, type ModbusMasterOptions } from "../../../modules/io/modbus/master.js";
import type { ModbusRequest } from "../../../modules/io/modbus/pdu.js";
import type { ModbusResult } from "../../../modules/io/modbus/response.js";
import { DRIVE_MAP, driveModel } from "../../../modules/io/models/drive-model.js";
import { ENERGY_METER_REGISTERS, energyMeterModel } from "../../../modules/io/models/energy-meter-model.js";
import { RS485BusModel } from "../../../modules/io/models/rs485-bus-model.js";
import type { DigitalIO } from "../../../modules/platform.js";
import { FakeTimers } from "../../helpers/fake-timers.js";
import { randomInt, seededRandom } from "../../helpers/seeded-random.js";

function rig(baud = 9600, options: Partial<ModbusMasterOptions> = {}) {
  const timers = new FakeTimers();
  const bus = new RS485BusModel(timers, baud);
  const meter = bus.attach(energyMeterModel(1, () => timers.monotonic()));
  const drive = bus.attach(driveModel(2, () => timers.monotonic()));
  const de: string[] = [];
  const direction: DigitalIO = { read: () => 0, write: (v) => void de.push(`${timers.monotonic()}:${v}`), close() {} };
  let master!: ModbusMaster;
  const Serial = bus.serialClass();
  const serial = new Serial({ baud, parity: "even", onReadable: () => master.onReadable() });
  master = new ModbusMaster({ serial, timers, clock: timers, baud, direction, ...options });
  const results: ModbusResult[] = [];
  const ask = (request: ModbusRequest) => master.submit(request, (r) => void results.push(r));
  const run = (request: ModbusRequest, ms = 2000): ModbusResult => {
    const before = results.length;
    ask(request);
    timers.advance(ms);
    t_assert(results.length === before + 1, `one result for ${JSON.stringify(request)}`);
    return results[before];
  };
  return { timers, bus, meter, drive, master, results, ask, run, de };
}
function t_assert(ok: boolean, message: string): void {
  if (!ok) throw new Error(message);
}
const f32 = (hi: number, lo: number) => new DataView(Uint16Array.of(0).buffer, 0) && (() => {
  const v = new DataView(new ArrayBuffer(4));
  v.setUint16(0, hi);
  v.setUint16(2, lo);
  return v.getFloat32(0);
})();

test("every function code against the meter and the drive models", (t) => {
  const { run, drive } = rig();
  const volts = run({ unit: 1, fn: 4, address: ENERGY_METER_REGISTERS.voltage, count: 2 });
  t.true(volts.ok);
  if (volts.ok) t.true(Math.abs(f32(volts.values[0], volts.values[1]) - 230) < 4);
  t.deepEqual(run({ unit: 2, fn: 5, address: DRIVE_MAP.coils.run, value: 1 }), { ok: true, values: [] });
  t.deepEqual(run({ unit: 2, fn: 6, address: DRIVE_MAP.holding.setpoint, value: 2500 }), { ok: true, values: [] });
  t.deepEqual(run({ unit: 2, fn: 3, address: 0, count: 2 }), { ok: true, values: [2500, 50] });
  t.deepEqual(run({ unit: 2, fn: 1, address: 0, count: 2 }), { ok: true, values: [1, 0] });
  t.deepEqual(run({ unit: 2, fn: 15, address: 2, values: [1, 0, 1] }), { ok: true, values: [] });
  t.deepEqual([...drive.tables.coils.slice(0, 5)], [1, 0, 1, 0, 1]);
  t.deepEqual(run({ unit: 2, fn: 16, address: 2, values: [7, 8, 9] }), { ok: true, values: [] });
  t.deepEqual([...drive.tables.holding.slice(2, 5)], [7, 8, 9]);
  const status = run({ unit: 2, fn: 2, address: 0, count: 3 }, 6000);
  t.deepEqual(status, { ok: true, values: [1, 1, 0] }, "ready and at speed after the ramp");
  t.deepEqual(run({ unit: 2, fn: 4, address: DRIVE_MAP.input.frequency, count: 1 }), { ok: true, values: [2500] });
});

test("exceptions come back as their code, unretried", (t) => {
  const { run, master, drive } = rig();
  t.like(run({ unit: 2, fn: 3, address: 7, count: 2 }), { ok: false, reason: "exception_2" });
  drive.faults.exception = 6;
  t.like(run({ unit: 2, fn: 3, address: 0, count: 1 }), { ok: false, reason: "exception_6" });
  t.is(master.count("retries"), 0);
  t.is(drive.requests, 2);
});

test("a unit that never answers beside one that does: time-out, retry, back-off; the other is served all along", (t) => {
  const { timers, ask, results, master } = rig(9600, { timeoutMs: 100, retries: 1, backoffMs: 1000 });
  const log: string[] = [];
  for (let round = 0; round < 10; round++) {
    master.submit({ unit: 9, fn: 3, address: 0, count: 1 }, (r) => void log.push(`9:${r.ok ? "ok" : r.reason}@${timers.monotonic()}`));
    master.submit({ unit: 1, fn: 4, address: 0, count: 2 }, (r) => void log.push(`1:${r.ok ? "ok" : r.reason}`));
    timers.advance(500);
  }
  t.is(log.filter((l) => l === "1:ok").length, 10, "the meter answered every round");
  t.is(log.filter((l) => l.startsWith("9:timeout")).length, 10);
  t.is(master.count("backoff"), 7, "rounds inside the back-off fail at once");
  t.is(master.count("retries"), 3, "each real attempt at unit 9 is retried once");
  t.is(results.length, 0);
  void ask;
});

test("a CRC error is retried, then reported; a slow answer times out and its late bytes are noise, not a value", (t) => {
  const { run, meter, master, timers, results, ask } = rig(9600, { timeoutMs: 50, retries: 2 });
  meter.faults.crcError = true;
  t.like(run({ unit: 1, fn: 4, address: 0, count: 2 }), { ok: false, reason: "crc" });
  t.is(master.count("crc"), 3);
  meter.faults = { slowMs: 200 };
  t.like(run({ unit: 1, fn: 4, address: 0, count: 2 }, 60 + 1000), { ok: false, reason: "timeout" });
  t.true(master.count("noise") > 0);
  meter.faults = {};
  ask({ unit: 1, fn: 4, address: 0, count: 2 });
  timers.advance(10);
  t.like(results.at(-1), { ok: false, reason: "timeout", detail: "unit 1 backing off" });
  timers.advance(2000);
  ask({ unit: 1, fn: 4, address: 0, count: 2 });
  timers.advance(100);
  t.true(results.at(-1)!.ok, "after the back-off the meter is read again");
});

test("broadcast writes reach every slave and are not waited for; DE is high exactly while a frame is sent", (t) => {
  const { run, drive, meter, de, master } = rig(9600, { turnaroundMs: 100 });
  const before = meter.requests;
  t.deepEqual(run({ unit: 0, fn: 6, address: 1, value: 99 }), { ok: true, values: [] });
  t.is(drive.tables.holding[1], 99);
  t.is(meter.requests, before + 1);
  t.is(master.count("timeout"), 0);
  t.deepEqual(de, ["0:0", "0:1", "10:0"], "8 bytes at 9600 baud are 9.2 ms on the wire");
});

test("the queue is bounded: the overflowing request is refused busy and counted", (t) => {
  const { ask, results, master, timers } = rig(9600, { queueLimit: 2 });
  for (let i = 0; i < 5; i++) ask({ unit: 1, fn: 4, address: 0, count: 2 });
  t.is(master.count("overflow"), 3);
  t.deepEqual(results.map((r) => (r.ok ? "ok" : r.reason)), ["busy", "busy", "busy"]);
  timers.advance(1000);
  t.is(results.filter((r) => r.ok).length, 2);
  master.close();
  ask({ unit: 1, fn: 4, address: 0, count: 2 });
  t.like(results.at(-1), { ok: false, reason: "busy" });
});

test("at 115200 baud the silent interval is the fixed 1750 µs: transactions follow each other closely", (t) => {
  const { ask, results, timers, bus } = rig(115200);
  for (let i = 0; i < 20; i++) ask({ unit: 1, fn: 4, address: 0, count: 2 });
  timers.advance(200);
  t.is(results.filter((r) => r.ok).length, 20);
  t.is(bus.frames, 20);
});

test("a late answer (after the time-out, the next request already on the bus) is never taken as the answer to another request", (t) => {
  const { timers, drive, master } = rig(9600, { timeoutMs: 100 });
  drive.tables.holding[0] = 1111;
  drive.tables.holding[1] = 2222;
  // Unit, function and byte count of the two answers match: only their timing tells them apart.
  drive.faults.slowMs = 150;
  const got: string[] = [];
  for (const address of [0, 1, 0, 1]) master.submit({ unit: 2, fn: 3, address, count: 1 }, (r) => void got.push(`${address}:${r.ok ? r.values[0] : r.reason}`));
  timers.advance(10_000);
  t.is(got.length, 4);
  for (const line of got) t.regex(line, /^(0:1111|1:2222|\d:timeout)$/, line);
  t.true(master.count("late") > 0, "late answers dropped and counted");
});

test("seeded: a slave answering up to 4 time-outs late, reads of neighbouring registers: no value from another request, ever", (t) => {
  const random = seededRandom(909);
  let answered = 0;
  let late = 0;
  for (let run = 0; run < 40; run++) {
    const timeoutMs = 20 + randomInt(random, 200);
    const { timers, drive, meter, master } = rig(9600, { timeoutMs, retries: randomInt(random, 3), backoffMs: randomInt(random, 500) });
    for (let a = 0; a < 8; a++) drive.tables.holding[a] = 1000 + a;
    const bad: string[] = [];
    for (let step = 0; step < 30; step++) {
      drive.faults.slowMs = randomInt(random, 4) === 0 ? 0 : randomInt(random, 4 * timeoutMs - 20);
      const address = randomInt(random, 8);
      master.submit({ unit: 2, fn: 3, address, count: 1 }, (r) => {
        if (r.ok) answered++;
        if (r.ok && r.values[0] !== 1000 + address) bad.push(`run ${run} step ${step}: register ${address} read ${r.values[0]}`);
      });
      if (randomInt(random, 3) === 0) master.submit({ unit: 1, fn: 4, address: 0, count: 2 }, () => undefined);
      timers.advance(randomInt(random, 3 * timeoutMs));
    }
    timers.advance(60_000);
    t.deepEqual(bad, [], `run ${run}`);
    late += master.count("late");
    void meter;
  }
  t.true(answered > 300, `${answered} reads answered: the slave was not merely silent`);
  t.true(late > 20, `${late} late answers dropped`);
});

test("a request held for a slow unit's late answers does not hold another unit's, even one submitted later", (t) => {
  const { timers, drive, master } = rig(9600, { timeoutMs: 100, retries: 1, backoffMs: 0 });
  drive.faults.slowMs = 150;
  const log: string[] = [];
  const at = (label: string) => Number(new RegExp(`${label}:\\w+@(\\d+)`).exec(log.join(" "))?.[1]);
  master.submit({ unit: 2, fn: 3, address: 0, count: 1 }, (r) => void log.push(`a:${r.ok ? "ok" : r.reason}@${timers.monotonic()}`));
  master.submit({ unit: 2, fn: 3, address: 1, count: 1 }, (r) => void log.push(`b:${r.ok ? "ok" : r.reason}@${timers.monotonic()}`));
  timers.advance(300);
  master.submit({ unit: 1, fn: 4, address: 0, count: 2 }, (r) => void log.push(`meter:${r.ok ? "ok" : r.reason}@${timers.monotonic()}`));
  timers.advance(5000);
  t.regex(log.join(" "), /meter:ok@/);
  t.true(at("meter") < at("b"), `the meter was read while b waited: ${log.join(" ")}`);
  t.true(at("b") - at("a") >= 300, `b went only after a's answers would have been 3 time-outs late: ${log.join(" ")}`);
});
