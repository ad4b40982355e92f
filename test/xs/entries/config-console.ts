/**
 * Guest entry: the config store, config service and console on XS. "run"
 * types lines into a console rig and returns each reply; "reload" boots a
 * fresh service on the same flash and returns a key's value.
 */
import type { XsGuest } from "../../helpers/xs.js";
import { consoleRig } from "../../helpers/console-rig.js";
import { ConfigService } from "../../../modules/config/config-service.js";

declare const xsHarness: XsGuest;

const rig = consoleRig();
xsHarness.on("run", (lines: string[]) => lines.map((line) => rig.run(line)));
xsHarness.on("reload", (key: string) => {
  const service = new ConfigService(rig.mp.storage, "xs");
  return { value: service.get(key).value ?? null, generation: service.generation ?? null, notes: service.loaded.notes };
});
