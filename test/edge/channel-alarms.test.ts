import test from "ava";
import { parseAlarms } from "../../modules/edge/alarm-spec.js";
import { ChannelAlarms } from "../../modules/edge/channel-alarms.js";
import { badReading, goodReading, type Reading } from "../../modules/io/reading.js";

/** A run: alarm text, readings one per second from t = 0 (null: a bad reading), and the changes expected as "t:type:state[:value]". */
type Case = [name: string, text: string, values: (number | null)[], expected: string[]];

const CASES: Case[] = [
  ["high raises above the limit, clears at limit - hyst", "high 80 hyst 2", [79, 80, 81, 79, 78.5, 78, 81], ["2:high:raised:81", "5:high:cleared:78", "6:high:raised:81"]],
  ["high without hyst clears at the limit", "high 80", [81, 80, 81], ["0:high:raised:81", "1:high:cleared:80", "2:high:raised:81"]],
  ["high delay: the condition must hold 3 s", "high 80 delay 3", [81, 82, 79, 81, 81, 81, 81], ["6:high:raised:81"]],
  ["high off delay: the clear condition must hold 2 s", "high 80 off 2", [81, 70, 70, 81, 70, 70, 70], ["0:high:raised:81", "6:high:cleared:70"]],
  ["hh above high, both raise and clear on their own", "high 80 hyst 1; hh 90 hyst 1", [85, 91, 89.5, 89, 78], ["0:high:raised:85", "1:hh:raised:91", "3:hh:cleared:89", "4:high:cleared:78"]],
  ["low raises below the limit, clears at limit + hyst", "low 10 hyst 2", [11, 9, 11.5, 12, 9.9], ["1:low:raised:9", "3:low:cleared:12", "4:low:raised:9.9"]],
  ["ll with delay and off delay", "ll 5 delay 1 off 1", [4, 4, 6, 4, 6, 6], ["1:ll:raised:4", "5:ll:cleared:6"]],
  ["rate per s between successive readings", "rate 2 hyst 1", [0, 1, 4, 5, 5.5, 6], ["2:rate:raised:3", "3:rate:cleared:1"]],
  ["rate counts falls too", "rate 2", [10, 7, 7], ["1:rate:raised:3", "2:rate:cleared:0"]],
  ["bad raises on a bad reading, clears on the next value", "bad", [1, null, null, 2], ["1:bad:raised", "3:bad:cleared"]],
  ["bad with delay 2: two bad seconds are not enough", "bad delay 2", [1, null, null, 2, null, null, null], ["6:bad:raised"]],
  ["a bad reading holds the value alarms and breaks a pending delay", "high 80 delay 2", [81, null, 81, 81, 81, null, 70], ["4:high:raised:81", "6:high:cleared:70"]],
  ["a bad reading breaks the rate's pair", "rate 1", [0, null, 10, 10.5], []],
];

function run(text: string, values: (number | null)[], mask = 0) {
  const parsed = parseAlarms(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  const alarms = new ChannelAlarms("t", parsed.alarms, mask);
  const seen: string[] = [];
  values.forEach((value, i) => {
    const reading: Reading = value === null ? badReading("t", "Cel", "nack", i * 1000) : goodReading("t", "Cel", value, i * 1000);
    for (const c of alarms.push(reading)) seen.push(`${c.at / 1000}:${c.type}:${c.state}${c.value === undefined ? "" : `:${c.value}`}`);
  });
  return { alarms, seen };
}

for (const [name, text, values, expected] of CASES)
  test(name, (t) => {
    t.deepEqual(run(text, values).seen, expected);
  });

test("alarms standing at boot (mask) are not raised again; clearing is reported", (t) => {
  const { alarms, seen } = run("high 80; low 10", [85, 85, 50], 0b10);
  t.deepEqual(seen, ["2:high:cleared:50"]);
  t.is(alarms.mask, 0);
});

test("active() lists the active alarms with their value and since", (t) => {
  const { alarms } = run("high 80; bad", [85, null]);
  t.deepEqual(alarms.active(), [
    { channel: "t", type: "high", limit: 80, since: 0, value: 85 },
    { channel: "t", type: "bad", limit: 0, since: 1000, value: undefined },
  ]);
  t.is(alarms.mask, 0b100010);
});
