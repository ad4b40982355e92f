import test from "ava";
import { Alarms } from "../../modules/edge/alarms.js";
import { badReading, goodReading } from "../../modules/io/reading.js";
import { MemoryStorage } from "../helpers/memory-platform.js";

function boot(storage: MemoryStorage, alarm = "high 80 hyst 2; bad") {
  const events: [string, string, Record<string, unknown>][] = [];
  const errors: string[] = [];
  const alarms = new Alarms([{ name: "temp", unit: "Cel", alarm }, { name: "rh", unit: "%RH" }], {
    storage, now: () => 0, event: (kind, detail, fields) => void events.push([kind, detail, fields]), onError: (m) => void errors.push(m),
  });
  return { alarms, events, errors };
}

test("raise and clear are alarm events with channel, type, state, value and limit", (t) => {
  const { alarms, events } = boot(new MemoryStorage());
  alarms.push(goodReading("temp", "Cel", 81.5, 0));
  alarms.push(goodReading("rh", "%RH", 99, 0));
  t.is(alarms.count, 1);
  alarms.push(goodReading("temp", "Cel", 78, 1000));
  alarms.push(badReading("temp", "Cel", "nack", 2000));
  t.deepEqual(events, [
    ["alarm", "temp high raised: 81.5 Cel > 80 Cel", { channel: "temp", type: "high", state: "raised", limit: 80, value: 81.5 }],
    ["alarm", "temp high cleared: 78 Cel back from 80 Cel", { channel: "temp", type: "high", state: "cleared", limit: 80, value: 78 }],
    ["alarm", "temp bad raised (nack)", { channel: "temp", type: "bad", state: "raised", reason: "nack" }],
  ]);
});

test("a reboot keeps the state: a standing alarm is not raised again, its clearing is reported", (t) => {
  const storage = new MemoryStorage();
  const first = boot(storage);
  first.alarms.push(goodReading("temp", "Cel", 85, 0));
  t.is(first.events.length, 1);
  const second = boot(storage);
  t.deepEqual(second.alarms.active().map((a) => [a.type, a.since]), [["high", undefined]]);
  second.alarms.push(goodReading("temp", "Cel", 86, 0));
  t.deepEqual(second.events, []);
  second.alarms.push(goodReading("temp", "Cel", 70, 1000));
  t.deepEqual(second.events.map((e) => e[1]), ["temp high cleared: 70 Cel back from 80 Cel"]);
  const third = boot(storage);
  t.is(third.alarms.count, 0);
  t.deepEqual(third.errors, []);
});

test("the record is written only when the active set changes", (t) => {
  const storage = new MemoryStorage();
  let count = 0;
  const write = storage.write.bind(storage);
  storage.write = (key, value) => {
    count++;
    write(key, value);
  };
  const { alarms } = boot(storage);
  const writes = () => count;
  for (let i = 0; i < 10; i++) alarms.push(goodReading("temp", "Cel", 81 + i / 10, i * 1000));
  t.is(writes(), 1);
  alarms.push(goodReading("temp", "Cel", 70, 11_000));
  alarms.push(goodReading("temp", "Cel", 71, 12_000));
  t.is(writes(), 2);
});

test("a text that does not parse (edited outside set) gives no alarms and one error, never a throw", (t) => {
  const { alarms, errors } = boot(new MemoryStorage(), "high x");
  alarms.push(goodReading("temp", "Cel", 99, 0));
  t.is(alarms.count, 0);
  t.deepEqual(errors, ['ch.temp.alarm at column 6: high limit must be a finite number, got "x"']);
});
