import test from "ava";
import { checkAlarmText, parseAlarms } from "../../modules/edge/alarm-spec.js";

test("parses clauses with their options, in type order", (t) => {
  const parsed = parseAlarms("low 10; high 80 hyst 2 delay 5 off 3 ;hh 90; bad delay 1; rate 0.5");
  t.deepEqual(parsed, {
    ok: true,
    alarms: [
      { type: "hh", limit: 90, hyst: 0, delayS: 0, offS: 0 },
      { type: "high", limit: 80, hyst: 2, delayS: 5, offS: 3 },
      { type: "low", limit: 10, hyst: 0, delayS: 0, offS: 0 },
      { type: "rate", limit: 0.5, hyst: 0, delayS: 0, offS: 0 },
      { type: "bad", limit: 0, hyst: 0, delayS: 1, offS: 0 },
    ],
  });
  t.deepEqual(parseAlarms(""), { ok: true, alarms: [] });
  t.deepEqual(parseAlarms(" ; "), { ok: true, alarms: [] });
  t.deepEqual(parseAlarms("low -2.5e1"), { ok: true, alarms: [{ type: "low", limit: -25, hyst: 0, delayS: 0, offS: 0 }] });
});

const BAD: [string, string][] = [
  ["hihg 80", 'at column 1: unknown alarm "hihg"; did you mean "high"?'],
  ["high", "at column 5: high needs a limit"],
  ["high x", 'at column 6: high limit must be a finite number, got "x"'],
  ["high NaN", 'at column 6: high limit must be a finite number, got "NaN"'],
  ["high Infinity", 'at column 6: high limit must be a finite number, got "Infinity"'],
  ["high 80; high 81", "at column 10: high given twice"],
  ["high 80 hyst -1", 'at column 14: hyst must be a number 0 or more, got "-1"'],
  ["high 80 hyst", "at column 13: hyst needs a value"],
  ["high 80 delay 90000", "at column 15: delay must be at most 86400 s, got 90000"],
  ["high 80 delay 1 delay 2", "at column 17: delay given twice"],
  ["high 80 wait 1", 'at column 9: expected hyst, delay or off, got "wait"'],
  ["bad 3", 'at column 5: expected delay or off, got "3"'],
  ["rate 0", "at column 6: rate limit (per s) must be above 0, got 0"],
  ["high 80; hh 70", "at column 10: hh 70 must be above high 80"],
  ["low 10; high 10", "at column 9: high 10 must be above low 10"],
  ["ll 20; low 10", "at column 8: low 10 must be above ll 20"],
  ["ll 5; hh 4", "at column 7: hh 4 must be above ll 5"],
  ["high 1;".repeat(30), "at column 161: an alarm text is at most 160 characters, got 210"],
];

for (const [text, reason] of BAD)
  test(`refuses ${JSON.stringify(text).slice(0, 30)}`, (t) => {
    t.is(checkAlarmText(text), reason);
  });
