/** Guest entry: a paced probe channel (replay) through channels, registry, driver and chip model, on XS. */
import type { XsGuest } from "../../helpers/xs.js";
import { probeScenario } from "../../helpers/probe-scenario.js";

declare const xsHarness: XsGuest;

xsHarness.on("scenario", () => probeScenario());
