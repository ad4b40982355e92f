/**
 * OTA end to end in the simulator (docs/contracts.md, "OTA"): the real
 * `fieldnode-sim` against a Mosquitto and an HTTP server the test starts;
 * every refusal, an update that confirms (the version after the restart
 * comes from the image header), a rollback by time-out, and a power cut
 * (SIGKILL) while downloading, right after switching and before the
 * confirmation. The node always comes back on a working version and says
 * what happened.
 */
import { Decoder, encode } from "cbor-x";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startSim, type SimProcess } from "../../helpers/sim-process.js";
import { persistentMosquitto, serialBrokerTest, sleep, stateDir } from "../../helpers/fast-node.js";
import { startSubscriber, type Received, type Subscriber } from "../../helpers/mqtt-subscriber.js";
import { signedImage, updateKey } from "../../helpers/ota-image.js";
import { seededRandom } from "../../helpers/seeded-random.js";

const decoder = new Decoder({ mapsAsObjects: true, useRecords: false } as ConstructorParameters<typeof Decoder>[0]);
const KEY = updateKey();
const on = (suffix: string) => (m: Received) => m.topic.endsWith(suffix);
type Resp = { id: string | null; ok: boolean; code?: string; error?: string; result?: Record<string, unknown> };
type Evt = { kind: string; detail: string };

/** How the test's HTTP server serves one path. */
type Serve = { body: Uint8Array; mode: "full" | "cut" | "stall" | "slow" };

async function imageServer(): Promise<{ base: string; files: Map<string, Serve>; close(): Promise<void> }> {
  const files = new Map<string, Serve>();
  const open = new Set<import("node:net").Socket>();
  const server: Server = createServer((req, res) => {
    const file = files.get(req.url ?? "");
    if (!file) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { "content-length": String(file.body.byteLength) });
    const half = Math.floor(file.body.byteLength / 2);
    if (file.mode === "full") res.end(file.body);
    else if (file.mode === "cut") { res.write(file.body.subarray(0, half)); setTimeout(() => res.destroy(), 100); }
    else if (file.mode === "stall") res.write(file.body.subarray(0, half));
    else {
      // 1 KiB every 20 ms: slow enough to cut the power mid-download.
      let at = 0;
      const step = () => { if (res.destroyed) return; res.write(file.body.subarray(at, at + 1024)); at += 1024; if (at < file.body.byteLength) setTimeout(step, 20); else res.end(); };
      step();
    }
  });
  server.on("connection", (s) => { open.add(s); s.on("close", () => open.delete(s)); });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    files,
    close: () => new Promise((resolve) => { for (const s of open) s.destroy(); server.close(() => resolve()); }),
  };
}

function simArgs(brokerUrl: string, id: string, dir: string, extra: string[] = []): string[] {
  return ["--broker", brokerUrl, "--id", id, "--state", dir, "--override", `ota.key=${KEY.publicHex}`, "--override", "ota.stall_s=2",
    "--override", "ch.temp.interval=200", "--override", "telemetry.batch_size=1", ...extra];
}

function sender(sub: Subscriber, id: string) {
  const responses = () => sub.messages.filter(on("/resp")).map((m) => decoder.decode(m.payload) as Resp);
  const events = () => sub.messages.filter(on("/evt")).map((m) => decoder.decode(m.payload) as Evt);
  const births = () => sub.messages.filter(on("/birth")).map((m) => decoder.decode(m.payload) as Record<string, unknown>);
  return {
    responses, events, births,
    ota(cmdId: string, fields: Record<string, unknown>) {
      sub.publish(`fieldnode/${id}/cmd/ota`, new Uint8Array(encode(new Map(Object.entries({ id: cmdId, ...fields })))));
    },
    /** Resolves with the response to `cmdId` that `match` accepts. */
    async final(cmdId: string, match: (r: Resp) => boolean, timeoutMs = 20_000): Promise<Resp> {
      await sub.waitFor(() => responses().some((r) => r.id === cmdId && match(r)), timeoutMs, `a response to ${cmdId}`);
      return responses().find((r) => r.id === cmdId && match(r))!;
    },
  };
}

const fields = (img: ReturnType<typeof signedImage>, url: string, extra: Record<string, unknown> = {}) => ({ url, size: img.image.byteLength, sha256: img.sha256, sig: img.sig, ...extra });

serialBrokerTest("OTA in the simulator: every refusal keeps 0.1.0 and says why; a signed 0.2.0 installs, reports its version and confirms", async (t) => {
  const broker = (await persistentMosquitto())!;
  const http = await imageServer();
  const dir = await stateDir();
  const sub = startSubscriber(broker.port, ["fieldnode/ota1/#"], "ota1-test");
  const sim = startSim(simArgs(broker.url, "ota1", dir));
  const node = sender(sub, "ota1");
  t.teardown(async () => { sim.child.kill("SIGKILL"); sub.close(); await http.close(); await broker.stop(); });
  await sub.waitFor(() => node.births().length > 0, 20_000, "birth");
  t.is(node.births()[0].fw, "0.1.0");

  const good = signedImage(KEY.privateKey, "0.2.0", 40_000, 3);
  const older = signedImage(KEY.privateKey, "0.0.9", 1000, 4);
  const otherKey = signedImage(updateKey().privateKey, "0.2.0", 1000, 5);
  http.files.set("/good.bin", { body: good.image, mode: "full" });
  http.files.set("/cut.bin", { body: good.image, mode: "cut" });
  http.files.set("/stall.bin", { body: good.image, mode: "stall" });
  http.files.set("/older.bin", { body: older.image, mode: "full" });
  http.files.set("/other.bin", { body: otherKey.image, mode: "full" });
  const url = (path: string) => `${http.base}${path}`;

  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ["no-url", (({ url: _u, ...rest }) => rest)(fields(good, "")), "bad_request", /"url" is missing/],
    ["ftp", fields(good, "ftp://127.0.0.1/good.bin"), "bad_request", /http:\/\/ or https:\/\//],
    ["no-sig", (({ sig: _s, ...rest }) => rest)(fields(good, url("/good.bin"))), "bad_request", /"sig" must be 128 hex/],
    ["too-big", fields(good, url("/good.bin"), { size: 0x1b0000 + 17 }), "out_of_range", /exceeds the slot/],
    ["digest", fields(good, url("/good.bin"), { sha256: "ab".repeat(32) }), "bad_request", /SHA-256 .* does not match/],
    ["signature", fields(otherKey, url("/other.bin")), "forbidden", /signature does not verify/],
    ["older", fields(older, url("/older.bin")), "forbidden", /0\.0\.9 is older than the running 0\.1\.0/],
    ["truncated", fields(good, url("/cut.bin")), "failed", /truncated|closed|aborted|reset/],
    ["missing", fields(good, url("/nothing.bin")), "failed", /HTTP 404/],
  ];
  for (const [id, payload, code, message] of cases) {
    node.ota(id, payload);
    const resp = await node.final(id, (r) => !r.ok);
    t.is(resp.code, code, id);
    t.regex(resp.error ?? "", message, id);
  }

  // A stalled download: refused after ota.stall_s; a second OTA meanwhile is refused busy; telemetry goes on.
  const teleBefore = sub.messages.filter(on("/tele")).length;
  node.ota("stall", fields(good, url("/stall.bin")));
  await node.final("stall", (r) => r.ok);
  node.ota("second", fields(good, url("/good.bin")));
  t.regex((await node.final("second", (r) => !r.ok)).error ?? "", /busy: an update is downloading/);
  t.regex((await node.final("stall", (r) => !r.ok)).error ?? "", /stalled: no data for 2 s/);
  t.true(sub.messages.filter(on("/tele")).length > teleBefore, "telemetry went on during the download");
  t.is(node.events().filter((e) => e.kind === "ota_failed").length, 6, "each of the 6 failures after the start raised ota_failed (the 5 refused at once changed nothing)");

  node.ota("up", fields(good, url("/good.bin"), { version: "0.2.0" }));
  t.like((await node.final("up", (r) => r.result?.state === "restarting")).result, { version: "0.2.0" });
  const confirmed = await node.final("up", (r) => r.result?.state === "confirmed");
  t.like(confirmed, { ok: true, result: { version: "0.2.0" } });
  t.like(node.births().at(-1), { fw: "0.2.0", reset: "software" });
  t.deepEqual(await sim.command("version"), ["fieldnode 0.2.0 (sim)", "OK"]);
  t.true(node.events().some((e) => e.kind === "ota_confirmed"));
});

serialBrokerTest("OTA power cuts (SIGKILL) while downloading, after switching and before the confirmation: the node comes back on a working version and reports it", async (t) => {
  const broker = (await persistentMosquitto())!;
  const http = await imageServer();
  const dir = await stateDir();
  const sub = startSubscriber(broker.port, ["fieldnode/ota2/#"], "ota2-test");
  const node = sender(sub, "ota2");
  let sim: SimProcess = startSim(simArgs(broker.url, "ota2", dir));
  t.teardown(async () => { sim.child.kill("SIGKILL"); sub.close(); await http.close(); await broker.stop(); });
  const powerCycle = async () => {
    sim.child.kill("SIGKILL");
    await sim.exited;
    const births = node.births().length;
    sim = startSim(simArgs(broker.url, "ota2", dir));
    await sub.waitFor(() => node.births().length > births, 20_000, "a birth after the power cut");
    return node.births().at(-1)!;
  };
  await sub.waitFor(() => node.births().length > 0, 20_000, "birth");
  const v2 = signedImage(KEY.privateKey, "0.2.0", 60_000, 6);
  const v3 = signedImage(KEY.privateKey, "0.3.0", 20_000, 7);
  http.files.set("/slow2.bin", { body: v2.image, mode: "slow" });
  http.files.set("/v2.bin", { body: v2.image, mode: "full" });
  http.files.set("/v3.bin", { body: v3.image, mode: "full" });

  // 1. Power cut while downloading.
  node.ota("dl", fields(v2, `${http.base}/slow2.bin`));
  await sub.waitFor(() => node.events().some((e) => e.kind === "ota" && /^dl: 25%/.test(e.detail)), 20_000, "25% downloaded");
  t.like(await powerCycle(), { fw: "0.1.0" });
  t.regex((await node.final("dl", (r) => !r.ok)).error ?? "", /interrupted: the node restarted during the download; 0\.1\.0 kept/);

  // 2. Power cut right after switching (before the restart): the verified image boots on trial and confirms.
  node.ota("sw", fields(v2, `${http.base}/v2.bin`));
  await node.final("sw", (r) => r.result?.state === "restarting");
  t.like(await powerCycle(), { fw: "0.2.0" });
  t.like(await node.final("sw", (r) => r.result?.state === "confirmed"), { ok: true });

  // 3. Power cut before the confirmation (the broker frozen, so the trial boot cannot reach it): the next boot rolls back.
  node.ota("tr", fields(v3, `${http.base}/v3.bin`));
  await node.final("tr", (r) => r.result?.state === "restarting");
  broker.pause();
  await sim.waitFor(/running 0\.3\.0 on trial/, 20_000);
  sim.child.kill("SIGKILL");
  await sim.exited;
  broker.resume();
  sim = startSim(simArgs(broker.url, "ota2", dir));
  await sim.waitFor(/ota_rolled_back: 0\.3\.0 rolled back to 0\.2\.0: it restarted before it confirmed/, 20_000);
  const rolled = await node.final("tr", (r) => !r.ok);
  t.regex(rolled.error ?? "", /0\.3\.0 rolled back to 0\.2\.0/);
  await sub.waitFor(() => node.births().at(-1)?.fw === "0.2.0", 20_000, "birth of 0.2.0 after the rollback");
  t.deepEqual(await sim.command("version"), ["fieldnode 0.2.0 (sim)", "OK"]);
});

serialBrokerTest("OTA: a new firmware that cannot reach the broker within ota.confirm_s rolls itself back and says so", async (t) => {
  const broker = (await persistentMosquitto())!;
  const http = await imageServer();
  const dir = await stateDir();
  const sub = startSubscriber(broker.port, ["fieldnode/ota3/#"], "ota3-test");
  const node = sender(sub, "ota3");
  const sim = startSim(simArgs(broker.url, "ota3", dir, ["--override", "ota.confirm_s=10"]));
  t.teardown(async () => { sim.child.kill("SIGKILL"); sub.close(); await http.close(); await broker.stop(); });
  await sub.waitFor(() => node.births().length > 0, 20_000, "birth");
  const v2 = signedImage(KEY.privateKey, "0.2.0", 10_000, 8);
  http.files.set("/v2.bin", { body: v2.image, mode: "full" });
  node.ota("to", fields(v2, `${http.base}/v2.bin`));
  await node.final("to", (r) => r.result?.state === "restarting");
  broker.pause();
  await sim.waitFor(/running 0\.2\.0 on trial/, 20_000);
  await sim.waitFor(/rolling back: no broker connection within ota.confirm_s = 10 s/, 30_000);
  await sleep(500);
  broker.resume();
  t.regex((await node.final("to", (r) => !r.ok, 30_000)).error ?? "", /0\.2\.0 rolled back to 0\.1\.0: no broker connection within ota.confirm_s = 10 s/);
  await sub.waitFor(() => node.births().at(-1)?.fw === "0.1.0", 20_000, "birth of 0.1.0");
});

serialBrokerTest("OTA: power cuts at 6 seeded random instants within 2 s of the command (the download, verify, switch and restart all fall in it): always a working version, always an outcome for the id", async (t) => {
  const broker = (await persistentMosquitto())!;
  const http = await imageServer();
  const sub = startSubscriber(broker.port, ["fieldnode/ota4/#"], "ota4-test");
  const node = sender(sub, "ota4");
  const random = seededRandom(2026);
  const image = signedImage(KEY.privateKey, "0.2.0", 12_000, 13);
  http.files.set("/slow.bin", { body: image.image, mode: "slow" });
  let sim: SimProcess | undefined;
  t.teardown(async () => { sim?.child.kill("SIGKILL"); sub.close(); await http.close(); await broker.stop(); });
  const seen = new Set<string>();
  for (let round = 0; round < 6; round++) {
    const dir = await stateDir();
    sim = startSim(simArgs(broker.url, "ota4", dir));
    const births = node.births().length;
    await sub.waitFor(() => node.births().length > births, 20_000, `round ${round}: birth`);
    const id = `r${round}`;
    node.ota(id, fields(image, `${http.base}/slow.bin`));
    await node.final(id, (r) => r.ok);
    // The slow download takes about 240 ms, then verify, 1 s to the restart, and the trial boot's CONNACK.
    await sleep(Math.floor(random() * 2000));
    sim.child.kill("SIGKILL");
    await sim.exited;
    const before = node.births().length;
    sim = startSim(simArgs(broker.url, "ota4", dir));
    await sub.waitFor(() => node.births().length > before, 20_000, `round ${round}: birth after the power cut`);
    const fw = String(node.births().at(-1)!.fw);
    t.true(fw === "0.1.0" || fw === "0.2.0", `round ${round}: running ${fw}`);
    const outcome = await node.final(id, (r) => !r.ok || r.result?.state === "confirmed");
    t.is(outcome.ok, fw === "0.2.0", `round ${round}: ${JSON.stringify(outcome)}`);
    seen.add(outcome.ok ? "confirmed" : String(outcome.error).replace(/:.*$/, ""));
    t.deepEqual(await sim.command("version"), [`fieldnode ${fw} (sim)`, "OK"]);
    sim.child.kill("SIGKILL");
    await sim.exited;
  }
  t.log(`outcomes: ${[...seen].join(", ")}`);
});
