import test from "ava";
import { EXPRESSION_MAX_LENGTH, ExpressionError, parseExpression } from "../../modules/io/expression.js";
import { seededRandom } from "../helpers/seeded-random.js";

const VALUES: Record<string, number> = { voltage: 230, current: 2.5, a: 3, b: -4, x_1: 0.5 };
const lookup = (name: string) => VALUES[name] ?? NaN;

// [expression, value, inputs]
const GOOD: [string, number, string[]][] = [
  ["voltage * current", 575, ["voltage", "current"]],
  ["1 + 2 * 3", 7, []],
  ["(1 + 2) * 3", 9, []],
  ["10 - 4 - 3", 3, []],
  ["24 / 4 / 2", 3, []],
  ["-a", -3, ["a"]],
  ["--a", 3, ["a"]],
  ["-a * -b", -12, ["a", "b"]],
  ["2 * -(a + b)", 2, ["a", "b"]],
  [".5 + 1.25e1 + 2E-1", 13.2, []],
  ["abs(b)", 4, ["b"]],
  ["sqrt(a * a + b * b)", 5, ["a", "b"]],
  ["min(a, b, 0)", -4, ["a", "b"]],
  ["max(a, b) + x_1", 3.5, ["a", "b", "x_1"]],
  ["  a*a  ", 9, ["a"]],
  ["max", NaN, ["max"]],
];

for (const [text, value, inputs] of GOOD)
  test(`evaluates ${JSON.stringify(text)}`, (t) => {
    const expression = parseExpression(text);
    const result = expression.evaluate(lookup);
    if (Number.isNaN(value)) t.true(Number.isNaN(result));
    else t.true(Math.abs(result - value) < 1e-9, `${result}`);
    t.deepEqual(expression.inputs, inputs);
  });

// [expression, exact message] — the position is the 1-based column.
const BAD: [string, string][] = [
  ["", "at 1: the expression is empty"],
  ["   ", "at 1: the expression is empty"],
  ["a +", 'at 4: expected a number, a channel name, a function or "(", got the end'],
  ["a * * b", 'at 5: expected a number, a channel name, a function or "(", got "*"'],
  ["(a + b", 'at 7: expected ")" to close the "(" at 1, got the end'],
  ["a + b)", 'at 6: expected an operator or the end, got ")"'],
  ["a b", 'at 3: expected an operator or the end, got "b"'],
  ["2a", 'at 2: expected an operator after the number, got "a"'],
  ["1e+", 'at 4: expected the exponent\'s digits, got the end'],
  ["Voltage", 'at 1: expected a number, a channel name, a function or "(", got "V"'],
  ["a ^ 2", 'at 3: expected an operator or the end, got "^"'],
  ["pow(a, 2)", 'at 1: unknown function "pow"; functions: min, max, abs, sqrt'],
  ["abs(a, b)", "at 1: abs() takes 1 argument(s), got 2"],
  ["min(a b)", 'at 7: expected "," or ")" in min(), got "b"'],
  ["abcdefghijklmnopq", 'at 1: name "abcdefghijklmnopq" is longer than 16 characters'],
  ["1e999", "at 1: number 1e999 is out of range"],
  ["(".repeat(20) + "1" + ")".repeat(20), "at 17: nested more than 16 deep"],
  ["a".repeat(EXPRESSION_MAX_LENGTH + 1), `at ${EXPRESSION_MAX_LENGTH + 1}: longer than ${EXPRESSION_MAX_LENGTH} characters`],
  [Array.from({ length: 40 }, () => "1").join("+"), "at 66: more than 64 terms"],
];

for (const [text, message] of BAD)
  test(`refuses ${JSON.stringify(text.slice(0, 30))}`, (t) => {
    const error = t.throws(() => parseExpression(text), { instanceOf: ExpressionError });
    t.is(error?.message, message);
    t.true(error instanceof RangeError);
  });

test("no eval: a name is only ever looked up, never run, even one that names a property of every object", (t) => {
  const seen: string[] = [];
  t.is(parseExpression("constructor * prototype").evaluate((name) => (seen.push(name), 2)), 4);
  t.deepEqual(seen, ["constructor", "prototype"]);
});

test("100k seeded random texts: parse gives an Expression or an ExpressionError, never anything else", (t) => {
  const random = seededRandom(0xe4);
  const alphabet = "ab01.e+-*/() ,minaxbsqrt_E9";
  let parsed = 0;
  for (let i = 0; i < 100_000; i++) {
    let text = "";
    const length = Math.floor(random() * 24);
    for (let k = 0; k < length; k++) text += alphabet[Math.floor(random() * alphabet.length)];
    try {
      const expression = parseExpression(text);
      t.is(typeof expression.evaluate(() => 1), "number");
      parsed++;
    } catch (error) {
      if (!(error instanceof ExpressionError)) t.fail(`${JSON.stringify(text)} threw ${String(error)}`);
      else if (!(error.position >= 1 && error.position <= text.length + 1)) t.fail(`${JSON.stringify(text)}: position ${error.position}`);
    }
  }
  t.true(parsed > 1000, `${parsed} parsed`);
});

test("seeded random well-formed expressions evaluate like the same arithmetic done directly", (t) => {
  const random = seededRandom(42);
  const gen = (depth: number): [string, number] => {
    if (depth > 3 || random() < 0.3) {
      if (random() < 0.5) {
        const name = ["a", "b", "voltage"][Math.floor(random() * 3)];
        return [name, VALUES[name]];
      }
      const n = Math.round(random() * 1000) / 10;
      return [String(n), n];
    }
    const [l, lv] = gen(depth + 1);
    const [r, rv] = gen(depth + 1);
    switch (Math.floor(random() * 5)) {
      case 0: return [`(${l} + ${r})`, lv + rv];
      case 1: return [`(${l} - ${r})`, lv - rv];
      case 2: return [`${l} * ${r}`, lv * rv];
      case 3: return [`-(${l})`, -lv];
      default: return [`max(${l}, ${r})`, Math.max(lv, rv)];
    }
  };
  for (let i = 0; i < 2000; i++) {
    const [text, value] = gen(0);
    if (text.length > EXPRESSION_MAX_LENGTH) continue;
    // Same operations, maybe grouped differently (a * b * c): equal to the last bits.
    const result = parseExpression(text).evaluate(lookup);
    t.true(Math.abs(result - value) <= 1e-9 * Math.max(1, Math.abs(value)), `${text}: ${result} vs ${value}`);
  }
});
