/**
 * `npm start` (issue 10, item 1): one command brings up the embedded broker, a node running the
 * pump skid with its console on the terminal, and the dashboard, and prints where to open the
 * dashboard and how to watch the telemetry with fieldnode-monitor; each of those is tried here.
 */
import test from "ava";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startMonitor } from "../../helpers/monitor-process.js";
import { startSim } from "../../helpers/sim-process.js";

const PACKAGE = fileURLToPath(new URL("../../../../package.json", import.meta.url));

test("npm start: embedded broker, the pump skid with its console on stdin/stdout, the dashboard, and the fieldnode-monitor line that works", async (t) => {
  t.timeout(120_000);
  const script = (JSON.parse(readFileSync(PACKAGE, "utf8")) as { scripts: Record<string, string> }).scripts.start;
  const match = /^npm run --silent build && node dist\/hosts\/sim\/main\.js(.*)$/.exec(script);
  t.truthy(match, `the start script builds, then runs the simulator: ${script}`);
  const args = match![1].trim().split(/\s+/).filter(Boolean);
  t.deepEqual(args, ["--ui"]);
  // As npm start runs it (its own default machine), in a scratch directory: the default state dir is ./.state.
  const sim = startSim(args, { ownDefault: true, cwd: mkdtempSync(join(tmpdir(), "fieldnode-start-")) });
  let monitor: ReturnType<typeof startMonitor> | undefined;
  try {
    const [, broker] = await sim.waitFor(/^embedded broker listening on (mqtt:\/\/127\.0\.0\.1:\d+)$/m, 30_000);
    const [, url] = await sim.waitFor(/^dashboard: (http:\/\/127\.0\.0\.1:\d+\/)$/m, 10_000);
    const [, hint] = await sim.waitFor(/^watch the telemetry: npx fieldnode-monitor (.*)$/m, 10_000);
    t.is(hint, `--broker ${broker}`);
    await sim.waitFor(/INFO sim: profile pump-skid: \d+ channels \(vib1, /, 10_000);
    const reply = await sim.command("status");
    t.regex(reply.join("\n"), /^actuators: .*pump/m, "the console answers on stdin/stdout");
    t.regex(reply[reply.length - 1], /^OK/);
    const page = await fetch(url);
    t.is(page.status, 200);
    t.regex(await page.text(), /<title>fieldnode dashboard<\/title>/);
    // The printed monitor command, run as printed (npx fieldnode-monitor is this entry), shows the node's packs.
    monitor = startMonitor(hint.split(" "));
    await monitor.until(() => monitor!.lines.some((l) => /tele/.test(l) && /flow/.test(l)), "a telemetry line with flow");
    t.pass("fieldnode-monitor shows the pump skid's telemetry");
  } finally {
    monitor?.child.kill("SIGINT");
    sim.child.kill("SIGINT");
    await sim.exited;
    if (monitor) await monitor.exited;
  }
});
