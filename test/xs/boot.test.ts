import test from "ava";
import { Decoder } from "cbor-x";
import type { RecordedPublish } from "./platform.js";
import { runOnXS, type XsRun } from "../helpers/xs.js";
import { resolvedRecords } from "../helpers/senml-records.js";

const BOOT = "test/xs/entries/boot-node.ts";
const decoder = new Decoder({ mapsAsObjects: false, useRecords: false });
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("utf8");

async function bootAndConnect(run: XsRun) {
  const boot = await run.command<{ nodeId: string; bootId: string; connects: number; url: string; will: string }>("boot");
  const accepted = await run.command<{ subscriptions: string[] }>("accept");
  return { boot, accepted };
}

test("startNode boots on XS, connects, and publishes SenML-CBOR telemetry with plausible readings", async (t) => {
  const run = await runOnXS(BOOT);
  t.teardown(() => run.close());
  const { boot, accepted } = await bootAndConnect(run);
  t.is(boot.connects, 1, "connects once at boot");
  t.is(boot.will, `fieldnode/${boot.nodeId}/state`);
  t.deepEqual(accepted.subscriptions, [`fieldnode/${boot.nodeId}/cmd/#`]);

  const advanced = await run.command<{ now: number; fired: number }>("advance", 25_000);
  t.is(advanced.now, 25_000);
  const publishes = await run.command<RecordedPublish[]>("take-publishes");
  const state = publishes.find((p) => p.topic === `fieldnode/${boot.nodeId}/state`);
  t.truthy(state, "announces its state");
  t.is(text(state!.payload), "online");
  t.true(state!.retain);

  const tele = publishes.filter((p) => p.topic === `fieldnode/${boot.nodeId}/tele`);
  t.true(tele.length >= 4, `a pack every 5 s over 25 s (got ${tele.length})`);
  const ids = tele.map((p) => p.packetId);
  t.deepEqual(ids, [...ids].sort((a, b) => a - b), "QoS 1 packet ids increase");
  t.true(tele.every((p) => p.qos === 1));

  tele.forEach((publish, index) => {
    const pack = decoder.decode(publish.payload) as unknown[];
    t.true(Array.isArray(pack) && pack.every((record) => record instanceof Map), "an array of maps");
    const records = pack as Map<number, unknown>[];
    for (const record of records) t.true([...record.keys()].every((key) => Number.isInteger(key)), "integer labels only");
    const [head, boot2] = records;
    t.is(head.get(-2), `${boot.nodeId}:`, "bn is the node");
    t.is(typeof head.get(-3), "number", "bt is the batch start");
    t.is(head.get(0), "_seq");
    t.is(head.get(2), index + 1, "sequence numbers count from 1 without gaps");
    t.is(boot2.get(3), boot.bootId, "boot id");
    // Resolved as RFC 8428 says (a channel's records share its base name and unit).
    const resolved = resolvedRecords(publish.payload);
    const temps = resolved.filter((r) => r.n === "temp");
    const rh = resolved.filter((r) => r.n === "rh");
    t.true(temps.length > 0 && rh.length > 0);
    for (const r of temps) {
      t.is(r.u, "Cel");
      t.true(r.v! > 10 && r.v! < 35, `temperature ${r.v} °C is plausible`);
    }
    for (const r of rh) {
      t.is(r.u, "%RH");
      t.true(r.v! > 0 && r.v! < 100, `humidity ${r.v} %RH is plausible`);
    }
    const bt = head.get(-3) as number;
    for (const r of resolved.slice(2)) t.true(Math.abs(r.at - bt) < 30, "times lie near bt");
  });

  await run.command("ack", ids);
  const stopped = await run.command<{ closed: string[]; errors: string[] }>("stop");
  t.deepEqual(stopped.errors, [], "no error logged");
  t.deepEqual(stopped.closed, ["disconnect"]);
  const last = await run.command<RecordedPublish[]>("take-publishes");
  const offline = last.find((p) => p.topic === `fieldnode/${boot.nodeId}/state`);
  t.is(offline && text(offline.payload), "offline");
  t.true(offline!.retain);
});

test("help, version and status on the XS console each end with a line OK", async (t) => {
  const run = await runOnXS(BOOT);
  t.teardown(() => run.close());
  await bootAndConnect(run);
  await run.command("advance", 3_000);
  for (const line of ["help", "version", "status"]) {
    const reply = await run.command<string>("console", line);
    const lines = reply.split("\r\n").filter((l) => l !== "");
    t.true(lines.length >= 2, `${line}: has a body (${JSON.stringify(reply)})`);
    t.is(lines[lines.length - 1], "OK", `${line}: ends with OK`);
    t.log(`${line} →\n${lines.join("\n")}`);
  }
  const unknown = await run.command<string>("console", "frobnicate");
  t.regex(unknown, /^ERR \S+ .*\r\n$/m, "an unknown command ends with ERR <code> <message>");
});

test("footprint of the booted firmware under XS (measured, not asserted)", async (t) => {
  const baseline = await runOnXS("test/xs/entries/harness-probe.ts");
  t.teardown(() => baseline.close());
  const empty = await baseline.footprint();
  const run = await runOnXS(BOOT);
  t.teardown(() => run.close());
  const loaded = await run.footprint();
  await bootAndConnect(run);
  await run.command("advance", 60_000);
  const booted = await run.footprint();
  t.log(`bundle: probe ${baseline.bundleBytes} B, firmware ${run.bundleBytes} B`);
  t.log(`harness baseline: ${empty.slots} slots, snapshot ${empty.snapshotBytes} B`);
  t.log(`firmware loaded, not booted: +${loaded.slots - empty.slots} slots, snapshot +${loaded.snapshotBytes - empty.snapshotBytes} B`);
  t.log(`booted, 60 s virtual, connected: +${booted.slots - empty.slots} slots (${(booted.slots - empty.slots) * 16} B at 16 B/slot on ESP32), snapshot +${booted.snapshotBytes - empty.snapshotBytes} B`);
  t.true(booted.slots > 0 && booted.snapshotBytes > 0);
});
