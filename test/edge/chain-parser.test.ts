import test from "ava";
import fc from "fast-check";
import { MAX_CHAIN_TEXT, parseChain } from "../../modules/edge/chain-parser.js";
import { buildChain } from "../../modules/edge/filter-chain.js";

test("parses the issue's example chain with each filter's column and arguments", (t) => {
  const parsed = parseChain("median(5) | calibrate(1.02, -0.4) | ema(0.2) | compress(0.05) | heartbeat(300)");
  t.deepEqual(parsed, {
    ok: true,
    stages: [
      { name: "median", args: [5], percent: false, column: 1 },
      { name: "calibrate", args: [1.02, -0.4], percent: false, column: 13 },
      { name: "ema", args: [0.2], percent: false, column: 37 },
      { name: "compress", args: [0.05], percent: false, column: 48 },
      { name: "heartbeat", args: [300], percent: false, column: 65 },
    ],
  });
});

const GOOD: [string, string[]][] = [
  ["", []],
  ["   ", []],
  ["rate", ["rate"]],
  ["rate()|rate", ["rate", "rate"]],
  ["deadband(5%) | deadband(0.5)", ["deadband", "deadband"]],
  ["calibrate2(4, 0, 20, 100)|clamp(0,100)", ["calibrate2", "clamp"]],
  ["ema(.5) | ema(1.) | ema(1e-1) | rate_limit(+2.5E3)", ["ema", "ema", "ema", "rate_limit"]],
  ["compress(0.05, 60)\t|\tthrottle(10)", ["compress", "throttle"]],
];
for (const [text, names] of GOOD)
  test(`parses ${JSON.stringify(text)}`, (t) => {
    const parsed = parseChain(text);
    t.true(parsed.ok);
    if (parsed.ok) t.deepEqual(parsed.stages.map((s) => s.name), names);
  });

/** Bad chains: the exact column and reason. */
const BAD: [string, number, string][] = [
  ["medain(5)", 1, 'unknown filter "medain"; did you mean "median"?'],
  ["median(5) | foo", 13, 'unknown filter "foo"; filters are median, mean, ema, calibrate, calibrate2, clamp, deadband, rate_limit, rate, throttle, heartbeat, compress'],
  ["median(5, 2)", 1, "median takes 1 argument (n), got 2"],
  ["ema | compress()", 1, "ema takes 1 argument (alpha), got 0"],
  ["compress()", 1, "compress takes 1 to 2 arguments (e, max_s), got 0"],
  ["rate(1)", 1, "rate takes no arguments, got 1"],
  ["median(0)", 8, "median: n must be an integer from 1 to 64, got 0"],
  ["median(65)", 8, "median: n must be an integer from 1 to 64, got 65"],
  ["median(2.5)", 8, "median: n must be an integer from 1 to 64, got 2.5"],
  ["ema(1.5)", 5, "ema: alpha must be above 0 and at most 1, got 1.5"],
  ["compress(0.1, 0)", 15, "compress: max_s must be above 0 and at most 86400, got 0"],
  ["ema(NaN)", 5, 'ema: alpha must be a finite number, got "NaN"'],
  ["calibrate(1, -Infinity)", 14, 'calibrate: offset must be a finite number, got "-Infinity"'],
  ["compress(1e999)", 10, 'compress: e must be a finite number, got "1e999"'],
  ["median(0x10)", 8, 'median: n must be a number, got "0x10"'],
  ["median(\u0007)", 8, 'median: n must be a number, got "\\u0007"'],
  ["ema(5%)", 5, "ema: alpha cannot be a percentage"],
  ["deadband(-1%)", 10, "deadband: band must be at least 0 and at most 1000%, got -1%"],
  ["clamp(3, 1)", 1, "clamp: lo must be below hi, got 3, 1"],
  ["calibrate(0, 1)", 1, "calibrate: gain must be a finite number other than 0, got 0"],
  ["calibrate2(1, 0, 1, 5)", 1, "calibrate2: raw1 and raw2 must differ, got 1 twice"],
  ["median(5) |", 12, "expected a filter name, got the end of the chain"],
  ["median(5) | | ema(1)", 13, 'expected a filter name, got "|"'],
  ["(5)", 1, 'expected a filter name, got "("'],
  ["median(5) x", 11, 'expected "|" or the end of the chain, got "x"'],
  ["median(5", 9, 'expected "," or ")", got the end of the chain'],
  ["median(5,)", 10, 'median: argument 2 must be a number, got ")"'],
  ["median(1)|".repeat(8) + "median(1)", 81, "a chain has at most 8 filters"],
  ["rate|".repeat(50) + "rate", MAX_CHAIN_TEXT + 1, `a chain is at most ${MAX_CHAIN_TEXT} characters, got 254`],
];
for (const [text, column, reason] of BAD)
  test(`refuses ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)} at column ${column}`, (t) => {
    t.deepEqual(parseChain(text), { ok: false, column, reason });
    t.throws(() => buildChain(text), { instanceOf: RangeError, message: `column ${column}: ${reason}` });
  });

test("seeded run: any text either parses or names a column inside it (or just past it) and never throws", (t) => {
  const alphabet = fc.constantFrom(..."median(5)|ema0.2,compress%e-+ .x\t\u0000NaInfity".split(""));
  fc.assert(
    fc.property(fc.array(alphabet, { maxLength: 60 }).map((c) => c.join("")), (text) => {
      const parsed = parseChain(text);
      if (parsed.ok) return parsed.stages.length <= 8;
      return parsed.column >= 1 && parsed.column <= text.length + 1 && parsed.reason.length > 0;
    }),
    { seed: 12, numRuns: 20_000 },
  );
  t.pass();
});
