/** Guest entry: Modbus actuators and late answers on XS (test/helpers/modbus-actuator-scenario.ts). */
import type { XsGuest } from "../../helpers/xs.js";
import { modbusActuatorScenario } from "../../helpers/modbus-actuator-scenario.js";

declare const xsHarness: XsGuest;

xsHarness.on("scenario", () => modbusActuatorScenario());
