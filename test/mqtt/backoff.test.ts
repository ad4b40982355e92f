import test from "ava";
import { Backoff } from "../../modules/mqtt/backoff.js";
import { seededRandom } from "../helpers/seeded-random.js";

/** The largest value a [0, 1) source can give. */
const ALMOST_ONE = 1 - 2 ** -53;

test("defaults: the window starts at 1 s and doubles up to the 60 s cap", (t) => {
  const backoff = new Backoff(() => ALMOST_ONE);
  const delays = Array.from({ length: 9 }, () => backoff.next());
  // With the top of the random range each delay shows its window (less 1 ms: floor).
  t.deepEqual(delays, [999, 1999, 3999, 7999, 15999, 31999, 59999, 59999, 59999]);
});

test("a random 0 gives 0 ms: the window starts at 0", (t) => {
  const backoff = new Backoff(() => 0, { baseMs: 500, capMs: 4000 });
  t.deepEqual([backoff.next(), backoff.next(), backoff.next()], [0, 0, 0]);
});

test("a delay is the random fraction of the window, floored", (t) => {
  const backoff = new Backoff(() => 0.5, { baseMs: 100, capMs: 1000 });
  t.deepEqual(Array.from({ length: 6 }, () => backoff.next()), [50, 100, 200, 400, 500, 500]);
});

test("every delay is an integer within [0, min(cap, base·2^n)] (seeded random, 100k draws)", (t) => {
  const random = seededRandom(0xbac0ff);
  const configs = [
    { baseMs: 1000, capMs: 60_000 },
    { baseMs: 1, capMs: 1 },
    { baseMs: 250, capMs: 10_000 },
    { baseMs: 3, capMs: 2 ** 40 },
    { baseMs: 1.5, capMs: 7 },
  ];
  let bad = "";
  let draws = 0;
  for (const options of configs) {
    const backoff = new Backoff(random, options);
    for (let n = 0; n < 20_000; n++) {
      if (n % 97 === 96) backoff.reset();
      const attempt = backoff.attempts;
      const delay = backoff.next();
      draws++;
      const ceiling = Math.min(options.capMs, options.baseMs * 2 ** attempt);
      if (!(Number.isInteger(delay) && delay >= 0 && delay <= ceiling) && !bad)
        bad = `${JSON.stringify(options)} attempt ${attempt}: ${delay} not in [0, ${ceiling}]`;
    }
  }
  t.is(bad, "");
  t.is(draws, 100_000);
});

test("jitter spreads: a fleet of 1,000 seeded nodes does not come back at once", (t) => {
  const random = seededRandom(42);
  const delays = new Set<number>();
  for (let node = 0; node < 1000; node++) {
    const backoff = new Backoff(random);
    for (let i = 0; i < 5; i++) backoff.next();
    delays.add(backoff.next()); // window 0..32 s
  }
  t.true(delays.size > 950, `${delays.size} distinct delays`);
});

test("the window stays at the cap however many attempts fail (no overflow to Infinity or NaN)", (t) => {
  const backoff = new Backoff(() => ALMOST_ONE, { baseMs: 1000, capMs: Infinity });
  let last = 0;
  for (let i = 0; i < 200; i++) last = backoff.next();
  // 2^30 is where the exponent stops growing.
  t.is(last, 1000 * 2 ** 30 - 1);
  t.is(backoff.attempts, 200);
});

test("attempts counts next() calls and reset() starts the window again", (t) => {
  const backoff = new Backoff(() => ALMOST_ONE, { baseMs: 100, capMs: 10_000 });
  t.is(backoff.attempts, 0);
  backoff.next();
  backoff.next();
  backoff.next();
  t.is(backoff.attempts, 3);
  backoff.reset();
  t.is(backoff.attempts, 0);
  t.is(backoff.next(), 99);
  t.is(backoff.next(), 199);
});

test("the random source is called once per delay", (t) => {
  let calls = 0;
  const backoff = new Backoff(() => (calls++, 0.25));
  for (let i = 0; i < 10; i++) backoff.next();
  t.is(calls, 10);
});

/** Bad options → the exact RangeError message. */
const rangeErrors: { options: { baseMs?: number; capMs?: number }; message: string }[] = [
  { options: { baseMs: 0 }, message: "baseMs must be positive, got 0" },
  { options: { baseMs: -5 }, message: "baseMs must be positive, got -5" },
  { options: { baseMs: NaN }, message: "baseMs must be positive, got NaN" },
  { options: { capMs: 999 }, message: "capMs must be >= baseMs, got 999" },
  { options: { baseMs: 500, capMs: 100 }, message: "capMs must be >= baseMs, got 100" },
  { options: { capMs: NaN }, message: "capMs must be >= baseMs, got NaN" },
  // A base above the default cap needs a cap of its own.
  { options: { baseMs: 120_000 }, message: "capMs must be >= baseMs, got 60000" },
];

for (const { options, message } of rangeErrors) {
  test(`new Backoff(${JSON.stringify(options, (_k, v) => (Number.isNaN(v) ? "NaN" : v))}) throws RangeError: ${message}`, (t) => {
    t.throws(() => new Backoff(Math.random, options), { instanceOf: RangeError, message });
  });
}

test("a cap equal to the base is allowed: every window is the base", (t) => {
  const backoff = new Backoff(() => ALMOST_ONE, { baseMs: 300, capMs: 300 });
  t.deepEqual([backoff.next(), backoff.next(), backoff.next()], [299, 299, 299]);
});
