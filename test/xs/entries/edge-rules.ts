/** Guest entry: the alarm and rule evaluators on XS (scenarios in edge-rules-samples.ts). */
import type { XsGuest } from "../../helpers/xs.js";
import { alarmScenario, parseScenario, ruleScenario } from "./edge-rules-samples.js";

declare const xsHarness: XsGuest;

xsHarness.on("parse", () => parseScenario());
xsHarness.on("alarms", () => alarmScenario());
xsHarness.on("rules", () => ruleScenario());
