/**
 * Guest entry: the firmware's SenML-CBOR encoders on XS. "records" returns
 * `encodeSenmlPack` of each record sample; "telemetry" returns
 * `encodeTelemetryPack` of each telemetry sample.
 */
import { encodeSenmlPack } from "../../../modules/telemetry/senml.js";
import { encodePack } from "../../helpers/reading-rows.js";
import type { XsGuest } from "../../helpers/xs.js";
import { senmlSamples, telemetrySamples } from "./senml-samples.js";

declare const xsHarness: XsGuest;

xsHarness.on("records", () => senmlSamples().map((sample) => encodeSenmlPack(sample.records)));
xsHarness.on("telemetry", () => telemetrySamples().map((sample) => encodePack(sample.header, sample.readings)));
