/**
 * Late answers against an independent slave: modbus-serial's ServerSerial on
 * a socat pty pair answers after the master's time-out (its vector waits
 * before it returns the register), while the master's next request to that
 * unit, for another register with the same length of answer, is due. No
 * late answer may pass for the answer to another request.
 */
import test from "ava";
import type { ModbusResult } from "../../../modules/io/modbus/response.js";
import { masterOnPty, startIndependentSlave } from "../../helpers/modbus-serial-slave.js";
import { ptyPair } from "../../helpers/pty-pair.js";

test("a slave slower than the time-out: each read gets its own register's value or a time-out, never another's; late answers are dropped and counted", async (t) => {
  const pair = await ptyPair();
  t.teardown(() => pair.close());
  let delayMs = 350;
  const holding = Array.from({ length: 8 }, (_, i) => 1000 + i);
  const vector = {
    getHoldingRegister: (addr: number) => new Promise<number>((resolve) => setTimeout(() => resolve(holding[addr]), delayMs)),
    getInputRegister: () => 0, getCoil: () => false, getDiscreteInput: () => false, setRegister: () => {}, setCoil: () => {},
  };
  const slave = await startIndependentSlave(pair.a, 1, vector);
  t.teardown(() => slave.close());
  const master = masterOnPty(t, pair.b, { timeoutMs: 200, retries: 1, latencyMs: 50, backoffMs: 0 });
  const ask = (address: number) => new Promise<ModbusResult>((resolve) => master.submit({ unit: 1, fn: 3, address, count: 1 }, resolve));
  const results: string[] = [];
  // Queued back to back: each next request is due while the answer before it is still on its way.
  const batch = await Promise.all([0, 1, 2, 3, 4, 5].map(async (address) => {
    const r = await ask(address);
    return `${address}:${r.ok ? r.values[0] : r.reason}`;
  }));
  results.push(...batch);
  for (const line of results) t.regex(line, /^(\d):(100\1|timeout)$/, line);
  t.true(master.count("late") > 0, `late answers seen: ${JSON.stringify(Object.fromEntries(master.counts))}`);
  // Once the slave is quick again, every read is answered with its own value.
  delayMs = 0;
  await new Promise((r) => setTimeout(r, 1500));
  for (const address of [6, 7, 2]) t.deepEqual(await ask(address), { ok: true, values: [1000 + address] });
});
