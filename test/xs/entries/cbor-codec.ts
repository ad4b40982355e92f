/**
 * Guest entry: cbor-x's portable encoder and decoder on XS. "encode" returns
 * the bytes of every sample under every profile; "encode-default" encodes
 * with cbor-x's defaults; "decode" decodes bytes the
 * test sends and returns their descriptions.
 */
import { Decoder } from "cbor-x/decode";
import { Encoder } from "cbor-x/encode";
import type { XsGuest } from "../../helpers/xs.js";
import { CBOR_DECODER_OPTIONS, CBOR_PROFILES, cborSamples, describeCbor } from "./cbor-samples.js";

declare const xsHarness: XsGuest;

xsHarness.on("encode", () =>
  CBOR_PROFILES.map((profile) => {
    const encoder = new Encoder(profile.options);
    return cborSamples().map((sample) => encoder.encode(sample.value).slice());
  }),
);

xsHarness.on("encode-default", (value: Uint8Array) => new Encoder().encode(value).slice());

xsHarness.on("decode", (encoded: Uint8Array[]) => {
  const decoder = new Decoder(CBOR_DECODER_OPTIONS);
  return encoded.map((bytes) => describeCbor(decoder.decode(bytes)));
});
