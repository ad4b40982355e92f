/** Guest entry: the journal outbox on XS. "scenario" returns `outboxScenario()`. */
import type { XsGuest } from "../../helpers/xs.js";
import { outboxScenario } from "./outbox-scenario.js";

declare const xsHarness: XsGuest;

xsHarness.on("scenario", () => outboxScenario());
