/** Guest entry: the Modbus master on the simulated RS-485 bus, on XS (test/helpers/modbus-scenario.ts). */
import { modbusScenario } from "../../helpers/modbus-scenario.js";
import type { XsGuest } from "../../helpers/xs.js";

declare const xsHarness: XsGuest;

xsHarness.on("scenario", (baud: number) => modbusScenario(baud));
