import test from "ava";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Decoder } from "cbor-x";
import { brokerTest, startMosquitto } from "../../helpers/mosquitto.js";
import { startSubscriber } from "../../helpers/mqtt-subscriber.js";
import { resolvedRecords } from "../../helpers/senml-records.js";
import { startSim } from "../../helpers/sim-process.js";

const decode = (bytes: Uint8Array) => new Decoder({ mapsAsObjects: false, useRecords: false }).decode(bytes);
const state = () => mkdtempSync(join(tmpdir(), "fieldnode-edge-"));

test("a bad --override of ch.<name>.filter stops the simulator before it starts, naming the column and reason", async (t) => {
  const sim = startSim(["--broker", "mqtt://127.0.0.1:1", "--id", "edge-bad", "--state", state(), "--override", "ch.temp.filter=median(5) | medain(3)"]);
  t.is(await sim.exited, 2);
  t.regex(sim.stderr, /ch\.temp\.filter: column 13: unknown filter "medain"; did you mean "median"\?/);
});

brokerTest("--override ch.temp.filter=compress(...): the birth publishes e, and temp sends fewer readings than the unfiltered rh", async (t) => {
  const broker = await startMosquitto();
  if (!broker) return;
  const sub = startSubscriber(broker.port, ["fieldnode/edge-1/#"], "edge-filter-test");
  const sim = startSim([
    "--broker", broker.url, "--id", "edge-1", "--state", state(),
    "--override", "ch.temp.interval=100", "--override", "ch.rh.interval=100", "--override", "telemetry.batch_size=20",
    "--override", "ch.temp.filter=compress(0.5, 2)",
  ]);
  try {
    const readings = (name: string) =>
      sub.messages
        .filter((m) => m.topic === "fieldnode/edge-1/tele")
        .flatMap((m) => resolvedRecords(m.payload).filter((r) => r.n === name));
    await sub.waitFor(() => readings("rh").length >= 100, 60_000, "100 rh readings");
    const birth = sub.messages.find((m) => m.topic === "fieldnode/edge-1/birth");
    t.truthy(birth);
    const channels = (decode(birth!.payload) as Map<string, unknown>).get("channels") as Map<string, unknown>[];
    t.is(channels.find((c) => c.get("n") === "temp")?.get("e"), 0.5);
    t.false(channels.find((c) => c.get("n") === "rh")!.has("e"));
    const temp = readings("temp").length;
    t.true(temp >= 2, `temp sent ${temp} (max_s 2 s: at least a point every 2 s)`);
    t.true(temp < readings("rh").length / 2, `temp sent ${temp}, rh ${readings("rh").length}`);
    sim.child.kill("SIGTERM");
    t.is(await sim.exited, 0);
  } finally {
    sim.child.kill("SIGKILL");
    sub.close();
    await broker.stop();
  }
});

test("console: set ch.temp.filter refuses a bad chain with its column and keeps the old value; a good one is staged", async (t) => {
  const sim = startSim(["--broker", "mqtt://127.0.0.1:1", "--id", "edge-console", "--state", state()]);
  try {
    const bad = await sim.command('set ch.temp.filter "median(5) | medain(3)"');
    t.regex(bad[bad.length - 1], /^ERR \S+ ch\.temp\.filter: column 13: unknown filter "medain"; did you mean "median"\?$/);
    t.false((await sim.command("get ch.temp.filter")).some((line) => line.includes("medain")), "nothing changed");
    const good = await sim.command('set ch.temp.filter "median(5) | compress(0.05, 60)"');
    t.regex(good[good.length - 1], /^OK/);
    const shown = await sim.command("get ch.temp.filter");
    t.true(shown.some((line) => line.includes("median(5) | compress(0.05, 60)")), shown.join("\n"));
  } finally {
    sim.child.kill("SIGKILL");
  }
});
