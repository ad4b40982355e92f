/**
 * A seeded run of corrupt, truncated, split and interleaved answers fed to
 * the master's receiver: it never throws, never accepts a wrong value, and
 * every request gets exactly one result.
 */
import test from "ava";
import { withCrc } from "../../../modules/io/modbus/crc16.js";
import { ModbusMaster } from "../../../modules/io/modbus/master.js";
import type { ModbusRequest, ReadFunction } from "../../../modules/io/modbus/pdu.js";
import type { ModbusResult } from "../../../modules/io/modbus/response.js";
import { ModbusSlaveModel, modbusTables } from "../../../modules/io/models/modbus-slave-model.js";
import type { SerialIO } from "../../../modules/platform.js";
import { FakeTimers } from "../../helpers/fake-timers.js";
import { randomInt, seededRandom } from "../../helpers/seeded-random.js";

type Mangle = "clean" | "flip" | "truncate" | "garbage_first" | "other_unit_first" | "split" | "extra" | "silence";
const MANGLES: Mangle[] = ["clean", "flip", "truncate", "garbage_first", "other_unit_first", "split", "extra", "silence"];

test("10,000 seeded answers, mangled: no throw, no wrong value, one result per request", (t) => {
  const random = seededRandom(0x4d42);
  const timers = new FakeTimers();
  const written: Uint8Array[] = [];
  const serial: SerialIO = { read: () => undefined, write: (b) => void written.push(new Uint8Array(b as Uint8Array)), close() {} };
  const master = new ModbusMaster({ serial, timers, clock: timers, baud: 19200, timeoutMs: 50, retries: 0, backoffMs: 0 });
  const slaves = [1, 2, 3].map((unit) => {
    const tables = modbusTables({ coils: 64, discrete: 64, holding: 64, input: 64 });
    for (const table of Object.values(tables)) for (let i = 0; i < table.length; i++) table[i] = table instanceof Uint16Array ? randomInt(random, 65536) : randomInt(random, 2);
    return new ModbusSlaveModel(unit, tables);
  });
  const truth = (request: ModbusRequest & { count: number }) => {
    const tables = slaves[request.unit - 1].tables;
    const table = [tables.coils, tables.discrete, tables.holding, tables.input][request.fn - 1];
    return [...table.slice(request.address, request.address + request.count)];
  };
  const counts: Record<string, number> = {};
  for (let i = 0; i < 10_000; i++) {
    const fn = (1 + randomInt(random, 4)) as ReadFunction;
    const count = 1 + randomInt(random, 20);
    const request = { unit: 1 + randomInt(random, 3), fn, address: randomInt(random, 64 - count), count };
    const results: ModbusResult[] = [];
    master.submit(request, (r) => void results.push(r));
    timers.advance(5);
    const frame = written.at(-1)!;
    const answer = slaves[request.unit - 1].answer(frame)!;
    const mangle = MANGLES[randomInt(random, MANGLES.length)];
    const chunks: Uint8Array[] = [];
    switch (mangle) {
      case "clean":
        chunks.push(answer);
        break;
      case "flip": {
        const bad = answer.slice();
        for (let k = 1 + randomInt(random, 3); k > 0; k--) bad[randomInt(random, bad.length)] ^= 1 + randomInt(random, 255);
        chunks.push(bad);
        break;
      }
      case "truncate":
        chunks.push(answer.subarray(0, randomInt(random, answer.length)));
        break;
      case "garbage_first":
        chunks.push(Uint8Array.from({ length: 1 + randomInt(random, 6) }, () => randomInt(random, 256)), answer);
        break;
      case "other_unit_first": {
        const other = slaves[request.unit % 3].answer(withCrc(frame.subarray(0, frame.length - 2).map((b, k) => (k === 0 ? (request.unit % 3) + 1 : b))))!;
        chunks.push(other.subarray(0, randomInt(random, other.length)), answer);
        break;
      }
      case "split": {
        const cut = randomInt(random, answer.length);
        chunks.push(answer.subarray(0, cut), answer.subarray(cut));
        break;
      }
      case "extra":
        chunks.push(answer, Uint8Array.of(randomInt(random, 256)));
        break;
      case "silence":
        break;
    }
    for (const chunk of chunks) {
      if (chunk.length) t.notThrows(() => master.receive(chunk));
      timers.advance(randomInt(random, 2));
    }
    timers.advance(200);
    t.is(results.length, 1, `one result, case ${i} ${mangle}`);
    const result = results[0];
    const key = `${mangle}:${result.ok ? "ok" : result.reason}`;
    counts[key] = (counts[key] ?? 0) + 1;
    if (result.ok) t.deepEqual(result.values, truth(request), `case ${i} ${mangle}: a value was accepted, it must be the true one`);
  }
  t.true((counts["clean:ok"] ?? 0) > 1000);
  t.true((counts["split:ok"] ?? 0) > 0);
  t.true(Object.keys(counts).some((k) => k.startsWith("flip:crc")));
  t.log(JSON.stringify(counts));
});
