/** Guest entry: the actuator scenario (arbitration, test mode, failsafe, feedback) on XS. */
import type { XsGuest } from "../../helpers/xs.js";
import { actuatorScenario } from "../../helpers/actuator-scenario.js";

declare const xsHarness: XsGuest;

xsHarness.on("scenario", () => actuatorScenario());
