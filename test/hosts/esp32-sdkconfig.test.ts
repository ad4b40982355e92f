import test from "ava";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../../", import.meta.url));

test("the esp32 build arms the task watchdog (panic and reboot) and the brown-out detector in its sdkconfig", (t) => {
  const manifest = JSON.parse(readFileSync(join(root, "manifest.json"), "utf8"));
  const dir = manifest.platforms.esp32.build.SDKCONFIGPATH as string;
  t.truthy(dir, "manifest platforms.esp32.build.SDKCONFIGPATH");
  const settings = new Map(readFileSync(join(root, dir, "sdkconfig.defaults"), "utf8").split("\n")
    .filter((line) => line.startsWith("CONFIG_")).map((line) => line.split("=") as [string, string]));
  for (const key of ["CONFIG_ESP_TASK_WDT_EN", "CONFIG_ESP_TASK_WDT_INIT", "CONFIG_ESP_TASK_WDT_PANIC", "CONFIG_ESP_BROWNOUT_DET"]) t.is(settings.get(key), "y", key);
  const timeout = Number(settings.get("CONFIG_ESP_TASK_WDT_TIMEOUT_S"));
  t.true(timeout >= 5 && timeout <= 60, `watchdog timeout ${timeout} s`);
});
