import test from "ava";
import { Decoder } from "cbor-x";
import { encodeSenmlPack } from "../../modules/telemetry/senml.js";
import { encodePack } from "../helpers/reading-rows.js";
import { runOnXS } from "../helpers/xs.js";
import { senmlSamples, telemetrySamples } from "./entries/senml-samples.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");

test("encodeSenmlPack produces the same bytes on XS as on Node", async (t) => {
  const run = await runOnXS("test/xs/entries/senml-pack.ts");
  t.teardown(() => run.close());
  const onXS = await run.command<Uint8Array[]>("records");
  senmlSamples().forEach((sample, i) => t.is(hex(onXS[i]), hex(encodeSenmlPack(sample.records)), sample.label));
});

test("encodeTelemetryPack produces the same bytes on XS as on Node, and they are SenML-CBOR", async (t) => {
  const run = await runOnXS("test/xs/entries/senml-pack.ts");
  t.teardown(() => run.close());
  const onXS = await run.command<Uint8Array[]>("telemetry");
  const decoder = new Decoder({ mapsAsObjects: false, useRecords: false });
  telemetrySamples().forEach((sample, i) => {
    t.is(hex(onXS[i]), hex(encodePack(sample.header, sample.readings)), sample.label);
    const pack = decoder.decode(onXS[i]) as Map<number, unknown>[];
    t.is(pack[0].get(-2), `${sample.header.nodeId}:`, `${sample.label}: bn`);
    t.is(pack[0].get(0), "_seq");
    t.is(pack[0].get(2), sample.header.seq);
  });
});
