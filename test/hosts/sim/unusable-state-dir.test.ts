import test from "ava";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSim } from "../../helpers/sim-process.js";

test("an unusable state dir is reported at boot (event and status) and a save answers ERR storage; the simulator keeps running", async (t) => {
  const file = join(mkdtempSync(join(tmpdir(), "fieldnode-statefile-")), "not-a-dir");
  writeFileSync(file, "x");
  const sim = startSim(["--state", join(file, "state"), "--broker", "mqtt://127.0.0.1:1", "--id", "ro-node"]);
  try {
    await sim.waitFor(/WARN event: storage: flash refuses writes: writing the boot count failed: the storage path is not a directory \(ENOTDIR\)/, 20_000);
    const status = await sim.command("status", 20_000);
    t.true(status.some((l) => /^storage: flash refuses writes: .*ENOTDIR/.test(l)), status.join("\n"));
    await sim.command("set node.site x", 20_000);
    const save = await sim.command("save", 20_000);
    t.regex(save.at(-1)!, /^ERR storage writing the config to flash failed: the storage path is not a directory \(ENOTDIR\)/);
  } finally {
    sim.child.kill("SIGTERM");
    await sim.exited;
  }
});
