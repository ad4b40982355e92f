import test from "ava";
import { Decoder, Encoder } from "cbor-x";
import { runOnXS } from "../helpers/xs.js";
import { CBOR_DECODER_OPTIONS, CBOR_PROFILES, cborSamples, describeCbor } from "./entries/cbor-samples.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");

test("cbor-x on XS encodes every sample to the bytes Node's cbor-x produces", async (t) => {
  const run = await runOnXS("test/xs/entries/cbor-codec.ts");
  t.teardown(() => run.close());
  const onXS = await run.command<Uint8Array[][]>("encode");
  CBOR_PROFILES.forEach((profile, p) => {
    const encoder = new Encoder(profile.options);
    cborSamples().forEach((sample, s) => {
      t.is(hex(onXS[p][s]), hex(encoder.encode(sample.value)), `${profile.label}: ${sample.label}`);
    });
  });
});

test("cbor-x on XS decodes Node's bytes to the same values Node decodes", async (t) => {
  const run = await runOnXS("test/xs/entries/cbor-codec.ts");
  t.teardown(() => run.close());
  const decoder = new Decoder(CBOR_DECODER_OPTIONS);
  for (const profile of CBOR_PROFILES) {
    const encoder = new Encoder(profile.options);
    const encoded = cborSamples().map((sample) => new Uint8Array(encoder.encode(sample.value)));
    const onXS = await run.command<unknown[]>("decode", encoded);
    t.deepEqual(onXS, encoded.map((bytes) => describeCbor(decoder.decode(bytes))), profile.label);
  }
  const integerKeys = await run.command<unknown[]>("decode", [new Uint8Array([0xa2, 0x21, 0x61, 0x78, 0x02, 0xf9, 0x3c, 0x00])]);
  t.deepEqual(integerKeys, [{ map: [[{ num: "-2" }, "x"], [{ num: "2" }, { num: "1" }]] }], "{-2: 'x', 2: half-float 1.0}");
});

test("cbor-x's default tags byte strings on Node only, so portable encoders pin tagUint8Array", async (t) => {
  const run = await runOnXS("test/xs/entries/cbor-codec.ts");
  t.teardown(() => run.close());
  const bytes = new Uint8Array([0xde, 0xad, 0xbe, 0xef]);
  t.is(hex(await run.command<Uint8Array>("encode-default", bytes)), "44deadbeef", "XS: plain byte string");
  t.is(hex(new Encoder().encode(bytes)), "d84044deadbeef", "Node: tag 64 (uint8 typed array), then the byte string");
});
