/**
 * The master against an independent Modbus implementation: modbus-serial's
 * ServerSerial (its own framing and CRC) on one end of a socat pty pair, the
 * master in Node on the other through the simulator's Serial over plain fs.
 */
import test from "ava";
import type { ModbusRequest } from "../../../modules/io/modbus/pdu.js";
import type { ModbusResult } from "../../../modules/io/modbus/response.js";
import { masterOnPty, startIndependentSlave } from "../../helpers/modbus-serial-slave.js";
import { ptyPair } from "../../helpers/pty-pair.js";


async function rig(t: import("ava").ExecutionContext) {
  const pair = await ptyPair();
  t.teardown(() => pair.close());
  const holding = Array.from({ length: 100 }, (_, i) => i * 3);
  const input = Array.from({ length: 100 }, (_, i) => 1000 + i);
  const coils = Array.from({ length: 100 }, (_, i) => i % 3 === 0);
  const vector = {
    getHoldingRegister: (addr: number) => {
      if (addr >= holding.length) throw { modbusErrorCode: 2, msg: "Illegal data address" };
      return holding[addr];
    },
    getInputRegister: (addr: number) => {
      if (addr >= input.length) throw { modbusErrorCode: 2, msg: "Illegal data address" };
      return input[addr];
    },
    getCoil: (addr: number) => coils[addr] ?? false,
    getDiscreteInput: (addr: number) => addr % 2 === 1,
    setRegister: (addr: number, value: number) => {
      if (addr >= holding.length) throw { modbusErrorCode: 2, msg: "Illegal data address" };
      holding[addr] = value;
    },
    setCoil: (addr: number, value: boolean) => {
      coils[addr] = value;
    },
  };
  const slave = await startIndependentSlave(pair.a, 1, vector);
  t.teardown(() => slave.close());
  const master = masterOnPty(t, pair.b, { timeoutMs: 1000, retries: 0, latencyMs: 50, backoffMs: 60_000 });
  const ask = (request: ModbusRequest) => new Promise<ModbusResult>((resolve) => master.submit(request, resolve));
  return { ask, master, holding, coils };
}

test("every function code, an exception, and a unit that never answers beside one that does, against modbus-serial over a pty", async (t) => {
  const { ask, master, holding, coils } = await rig(t);
  t.deepEqual(await ask({ unit: 1, fn: 3, address: 10, count: 3 }), { ok: true, values: [30, 33, 36] });
  t.deepEqual(await ask({ unit: 1, fn: 4, address: 0, count: 2 }), { ok: true, values: [1000, 1001] });
  t.deepEqual(await ask({ unit: 1, fn: 1, address: 0, count: 10 }), { ok: true, values: [1, 0, 0, 1, 0, 0, 1, 0, 0, 1] });
  t.deepEqual(await ask({ unit: 1, fn: 2, address: 0, count: 4 }), { ok: true, values: [0, 1, 0, 1] });
  t.deepEqual(await ask({ unit: 1, fn: 5, address: 1, value: 1 }), { ok: true, values: [] });
  t.true(coils[1]);
  t.deepEqual(await ask({ unit: 1, fn: 6, address: 5, value: 4242 }), { ok: true, values: [] });
  t.is(holding[5], 4242);
  t.deepEqual(await ask({ unit: 1, fn: 15, address: 20, values: [1, 1, 0, 1] }), { ok: true, values: [] });
  t.deepEqual(coils.slice(20, 24), [true, true, false, true]);
  t.deepEqual(await ask({ unit: 1, fn: 16, address: 50, values: [7, 8, 65535] }), { ok: true, values: [] });
  t.deepEqual(holding.slice(50, 53), [7, 8, 65535]);
  t.like(await ask({ unit: 1, fn: 3, address: 200, count: 1 }), { ok: false, reason: "exception_2" });
  const [silent, live] = await Promise.all([ask({ unit: 7, fn: 3, address: 0, count: 1 }), ask({ unit: 1, fn: 3, address: 1, count: 1 })]);
  t.like(silent, { ok: false, reason: "timeout" });
  t.deepEqual(live, { ok: true, values: [3] });
  t.like(await ask({ unit: 7, fn: 3, address: 0, count: 1 }), { ok: false, reason: "timeout", detail: "unit 7 backing off" });
  t.deepEqual(await ask({ unit: 1, fn: 3, address: 2, count: 1 }), { ok: true, values: [6] });
  t.is(master.count("crc"), 0);
});
