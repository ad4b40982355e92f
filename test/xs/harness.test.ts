import test from "ava";
import { DEVICE_ABSENT_GLOBALS, runOnXS, XsGuestError } from "../helpers/xs.js";

const PROBE = "test/xs/entries/harness-probe.ts";

test("the guest loads, reports, and sees none of the globals the device lacks", async (t) => {
  const run = await runOnXS(PROBE);
  t.teardown(() => run.close());
  t.deepEqual(run.reports, [{ loaded: true, engine: "object" }]);
  const absent = await run.command<string[]>("typeofs", [...DEVICE_ABSENT_GLOBALS]);
  t.deepEqual(absent, DEVICE_ABSENT_GLOBALS.map(() => "undefined"));
  t.deepEqual(await run.command("typeofs", ["trace", "harden", "Compartment"]), ["function", "function", "function"]);
});

test("bytes and non-ASCII text round-trip through the guest", async (t) => {
  const run = await runOnXS(PROBE);
  t.teardown(() => run.close());
  const value = { text: "23.5 °C — ok ✓ 𝄞", bytes: new Uint8Array([0, 1, 127, 128, 255]), list: [1.5, -2, null] };
  t.deepEqual(await run.command("echo", value), value);
  await run.command("trace", "first\nsecond line ü\npartial");
  t.deepEqual(run.logs, ["first", "second line ü"]);
});

test("a guest exception fails loudly with the XS message and stack", async (t) => {
  const run = await runOnXS(PROBE);
  t.teardown(() => run.close());
  const thrown = await t.throwsAsync(run.command("throw", "boom"), { instanceOf: XsGuestError });
  t.regex(thrown.message, /RangeError: boom/);
  const rejected = await t.throwsAsync(run.command("reject", "later"), { instanceOf: XsGuestError });
  t.regex(rejected.message, /TypeError: later/);
  await t.throwsAsync(run.command("missing"), { message: /no guest handler for command "missing"/ });
  await t.throwsAsync(run.command("never"), { message: /did not settle/ });
});

test("runaway guest code is stopped, not waited for", async (t) => {
  const run = await runOnXS(PROBE, { timeoutMs: 20_000 });
  t.teardown(() => run.close().catch(() => {}));
  await t.throwsAsync(run.command("spin"), { message: /too much computation|timed out|exited/ });
});

test("an entry that uses a global the device lacks fails at load with the XS stack", async (t) => {
  const failure = await t.throwsAsync(runOnXS("test/xs/entries/throws-on-load.ts"), { instanceOf: XsGuestError });
  t.regex(failure.message, /TypeError/);
  t.regex(failure.message, /XS stack/);
  t.regex(failure.message, /<- test\/xs\/entries\/throws-on-load\.ts: return new g\.TextEncoder\(\)/, "frames point into the source");
  t.log(failure.message);
});
