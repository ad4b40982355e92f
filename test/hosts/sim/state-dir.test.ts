import test from "ava";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultStateDir } from "../../../hosts/sim/state-dir.js";
import { startSim } from "../../helpers/sim-process.js";

test("a node saved as pump-7 without --id keeps its flash when started later with --id pump-7", async (t) => {
  const cwd = mkdtempSync(join(tmpdir(), "fieldnode-cwd-"));
  const first = startSim(["--broker", "mqtt://127.0.0.1:1"], { cwd });
  t.teardown(() => void first.child.kill("SIGKILL"));
  await first.waitFor(/boot \S+ \(#1\)/);
  t.deepEqual((await first.command("set node.id pump-7")).at(-1), "OK");
  t.deepEqual((await first.command('set node.site "Hall 3"')).at(-1), "OK");
  t.deepEqual((await first.command("save")).at(-1), "OK");
  first.child.kill("SIGINT");
  t.is(await first.exited, 0);

  const second = startSim(["--broker", "mqtt://127.0.0.1:1", "--id", "pump-7"], { cwd });
  t.teardown(() => void second.child.kill("SIGKILL"));
  await second.waitFor(/node pump-7, boot \S+ \(#2\)/);
  t.regex((await second.command("get node.site"))[0], /^node\.site = "Hall 3"/);
  second.child.kill("SIGINT");
  t.is(await second.exited, 0);
});

test("defaultStateDir: the hardware id without --id; <root>/<id> when it exists or nothing else claims the id", (t) => {
  const root = join(mkdtempSync(join(tmpdir(), "fieldnode-root-")), ".state");
  t.is(defaultStateDir(root, undefined, "sim-abc"), join(root, "sim-abc"));
  t.is(defaultStateDir(root, "pump-7", "sim-abc"), join(root, "pump-7"), "no state root yet");
  mkdirSync(join(root, "other"), { recursive: true });
  t.is(defaultStateDir(root, "pump-7", "sim-abc"), join(root, "pump-7"), "no directory saved as pump-7");
  mkdirSync(join(root, "pump-7"));
  t.is(defaultStateDir(root, "pump-7", "sim-abc"), join(root, "pump-7"));
});
