import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startMonitor } from "../../helpers/monitor-process.js";
import { brokerTest, startMosquitto } from "../../helpers/mosquitto.js";

brokerTest("a retained message over 256 KiB under the prefix is skipped with a notice; the monitor keeps its one connection", async (t) => {
  const broker = (await startMosquitto())!;
  const dir = await mkdtemp(join(tmpdir(), "fieldnode-big-"));
  const monitor = startMonitor(["--broker", broker.url]);
  try {
    await writeFile(join(dir, "big"), new Uint8Array(300_000));
    await promisify(execFile)("mosquitto_pub", ["-h", broker.host, "-p", String(broker.port), "-q", "1", "-r", "-t", "fieldnode/n1/evt", "-f", join(dir, "big")]);
    await monitor.until(() => /skipped a message of 300000 bytes on "fieldnode\/n1\/evt"/.test(monitor.stderr), "the notice");
    await promisify(execFile)("mosquitto_pub", ["-h", broker.host, "-p", String(broker.port), "-q", "1", "-t", "fieldnode/n1/state", "-m", "online"]);
    await monitor.until(() => monitor.lines.some((line) => /state n1 online/.test(line)), "the next message");
    t.is((monitor.stderr.match(/connected to/g) ?? []).length, 1, monitor.stderr);
  } finally {
    monitor.child.kill("SIGKILL");
    await rm(dir, { recursive: true, force: true });
    await broker.stop();
  }
});
