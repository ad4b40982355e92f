import test from "ava";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSim } from "../../helpers/sim-process.js";

/** Flag and override values checked against the config schema and the uplink's bounds: [args, what stderr says]. */
const BAD: [string[], RegExp][] = [
  [["--override", "foo=1"], /^fieldnode-sim: --override foo=1: unknown key "foo"/],
  [["--override", "ch.temp.interval=5"], /^fieldnode-sim: --override ch\.temp\.interval=5: ch\.temp\.interval must be 100\.\.86400000 \(ms\), got 5$/],
  [["--override", "mqtt.keepalive=abc"], /^fieldnode-sim: --override mqtt\.keepalive=abc: mqtt\.keepalive must be an integer/],
  [["--override", "mqtt.tls_ca=AAAA"], /^fieldnode-sim: --override mqtt\.tls_ca=AAAA: mqtt\.tls_ca: not a DER X\.509 certificate/],
  [["--uplink", "max-segments=0"], /^fieldnode-sim: --uplink max-segments=0: must be a whole number >= 1$/],
  [["--uplink", "in-flight=1.5"], /^fieldnode-sim: --uplink in-flight=1\.5: must be a whole number >= 1$/],
  [["--uplink", "rate=0"], /^fieldnode-sim: --uplink rate=0: must be > 0$/],
  [["--uplink", "backoff-base-ms=5000,backoff-cap-ms=1000"], /^fieldnode-sim: --uplink backoff-cap-ms=1000: must be >= backoff-base-ms \(5000\)$/],
  [["--uplink", "max-packet=100"], /^fieldnode-sim: --uplink max-packet=100: leaves -?\d+ bytes for a pack on topic "fieldnode\/v-1\/tele"; need at least 64$/],
];

for (const [args, message] of BAD) {
  test(`${args.join(" ")}: one line on stderr, exit 2, nothing started`, async (t) => {
    const sim = startSim(["--id", "v-1", "--state", mkdtempSync(join(tmpdir(), "fieldnode-")), ...args]);
    t.teardown(() => void sim.child.kill("SIGKILL"));
    t.is(await sim.exited, 2);
    t.regex(sim.stderr, /^[^\n]*\n$/, `exactly one line: ${JSON.stringify(sim.stderr)}`);
    t.regex(sim.stderr.trimEnd(), message);
    t.notRegex(sim.output, /embedded broker/, "the broker was not started");
    t.notRegex(sim.stderr, /\n\s+at /, "no stack trace");
  });
}

test("a good override and uplink still start the node", async (t) => {
  const sim = startSim(["--broker", "mqtt://127.0.0.1:1", "--id", "v-2", "--state", mkdtempSync(join(tmpdir(), "fieldnode-")), "--override", "ch.temp.interval=500", "--uplink", "max-segments=2,max-packet=600"]);
  t.teardown(() => void sim.child.kill("SIGKILL"));
  await sim.waitFor(/node v-2, boot/);
  const reply = await sim.command("get ch.temp.interval");
  t.regex(reply.join("\n"), /500/, "the override is in effect");
  sim.child.kill("SIGINT");
  t.is(await sim.exited, 0);
});

test("an override may name a profile's own actuator (the profile is the node's defaults), and is checked like any other", async (t) => {
  const bad = startSim(["--profile", "tank", "--id", "v-3", "--state", mkdtempSync(join(tmpdir(), "fieldnode-")), "--override", "act.drain.failsafe_s=-1"]);
  t.teardown(() => void bad.child.kill("SIGKILL"));
  t.is(await bad.exited, 2);
  t.regex(bad.stderr.trimEnd(), /^fieldnode-sim: --override act\.drain\.failsafe_s=-1: act\.drain\.failsafe_s must be/);

  const sim = startSim(["--profile", "tank", "--broker", "mqtt://127.0.0.1:1", "--id", "v-3", "--state", mkdtempSync(join(tmpdir(), "fieldnode-")), "--override", "act.drain.failsafe_s=5"]);
  t.teardown(() => void sim.child.kill("SIGKILL"));
  await sim.waitFor(/node v-3, boot/);
  t.regex((await sim.command("get act.drain.failsafe_s")).join("\n"), /\b5\b/, "the override is in effect");
  sim.child.kill("SIGINT");
  t.is(await sim.exited, 0);
});
